using System.Text.Unicode;
using CsvHelper;
using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Intake;

/// <summary>
/// Reads a relay list: UTF-8 CSV, comma separated, with a header row naming the columns <c>address</c> (required),
/// <c>port</c>, <c>source</c> and <c>note</c> in any order and any case. A file that cannot be read as a whole
/// (too big, empty, not UTF-8, bad quoting, bad header, too many rows) gives one error and no rows, so nothing is
/// half-imported; otherwise every row is either valid or rejected with its line number and reason.
/// </summary>
public sealed class RelayCsvParser(IOptions<IntakeOptions> options, TargetPolicy targets)
{
    private static readonly string[] Columns = ["address", "port", "source", "note"];
    private static readonly string ColumnList = string.Join(", ", Columns);

    /// <summary>Reads the upload (at most <c>Intake:MaxCsvBytes</c>) and parses it; see <see cref="Parse"/>.</summary>
    public async Task<CsvImportResult> ParseAsync(Stream csv, CancellationToken cancellationToken = default)
    {
        var max = options.Value.MaxCsvBytes;
        var bytes = await BoundedRead.ReadAllAsync(csv, max, cancellationToken).ConfigureAwait(false);
        return bytes is null ? TooLarge(max) : Parse(bytes);
    }

    /// <summary>
    /// Parses a whole CSV file. Rows naming private, loopback, link-local or reserved addresses are rejected unless
    /// the <see cref="TargetPolicy"/> allows private targets.
    /// </summary>
    public CsvImportResult Parse(ReadOnlyMemory<byte> csv)
    {
        var limits = options.Value;
        if (csv.Length > limits.MaxCsvBytes) return TooLarge(limits.MaxCsvBytes);
        if (!Utf8.IsValid(csv.Span))
            return CsvImportResult.Failed("is not UTF-8 text; save it as \"CSV UTF-8\" (a spreadsheet's plain \"CSV\" may use another encoding)");

        CsvMalformedRecord? malformed = null;
        var readerOptions = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrimWhitespace = true,
            AllowLineBreaksInQuotes = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MaxRecordSize = Math.Max(limits.MaxCsvBytes, 256),
            IncludeValuesInExceptions = false,
            // Skip (not Throw) so that the reader reports the reason and line as data; any malformed record fails the file.
            MalformedData = CsvMalformedDataHandling.Skip,
            OnMalformedRecord = m => malformed ??= m,
        };
        using var reader = CsvReader.Create(csv, readerOptions);
        try
        {
            reader.ReadHeader();
            if (malformed is { } inHeader) return Malformed(inHeader);
            if (reader.Headers.Count == 0 || reader.Headers.All(string.IsNullOrWhiteSpace)) return CsvImportResult.Failed("is empty");
            if (HeaderError(reader.Headers) is { } headerError) return CsvImportResult.Failed(headerError);

            var index = Columns.ToDictionary(c => c, c => IndexOf(reader.Headers, c));
            var rows = new List<CsvRelayRow>();
            var rejected = new List<CsvRejectedRow>();
            var duplicates = new List<CsvDuplicateRow>();
            var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
            var count = 0;
            while (reader.Read())
            {
                if (malformed is { } inRows) return Malformed(inRows);
                if (++count > limits.MaxCsvRows)
                    return CsvImportResult.Failed($"has more than {limits.MaxCsvRows} rows (Intake:MaxCsvRows); split it into smaller files; nothing was imported");
                var line = checked((int)reader.LineNumber);
                if (ExtraFields(reader, reader.Headers.Count) is { } extra)
                {
                    rejected.Add(new CsvRejectedRow(line, "row", extra));
                    continue;
                }
                if (!RelayReport.TryCreate(Field(reader, index["address"]), Field(reader, index["port"]), Field(reader, index["source"]), Field(reader, index["note"]),
                        targets, out var report, out var error))
                {
                    rejected.Add(new CsvRejectedRow(line, error.Field, error.Message));
                    continue;
                }
                if (firstLineOf.TryGetValue(report.Relay.CaseKey, out var first))
                {
                    duplicates.Add(new CsvDuplicateRow(line, first, report.Relay.CaseKey));
                    continue;
                }
                firstLineOf[report.Relay.CaseKey] = line;
                rows.Add(new CsvRelayRow(line, report.Relay, report.Source, report.Note));
            }
            if (malformed is { } atEnd) return Malformed(atEnd);
            if (count == 0) return CsvImportResult.Failed("has a header but no rows");
            return CsvImportResult.Read(rows, rejected, duplicates);
        }
        catch (CsvFormatException ex)
        {
            // Raised for a record longer than MaxRecordSize, which the byte limit above already bounds.
            return CsvImportResult.Failed($"is not valid CSV{(ex.LineNumber > 0 ? $": line {ex.LineNumber}" : "")}; nothing was imported");
        }
    }

    /// <summary>The answer for an upload over <c>Intake:MaxCsvBytes</c> (the API finds that while reading it).</summary>
    public CsvImportResult TooLarge() => TooLarge(options.Value.MaxCsvBytes);

    private static CsvImportResult TooLarge(int max) =>
        CsvImportResult.Failed($"is larger than {BoundedRead.Describe(max)} (Intake:MaxCsvBytes); split it into smaller files");

    private static CsvImportResult Malformed(CsvMalformedRecord record)
    {
        var why = record.Reason switch
        {
            CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed",
            CsvMalformedReason.StrayQuote => "a quote inside an unquoted field (quote the whole field and double the quote: \"a \"\"b\"\" c\")",
            CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a quoted field",
            _ => $"malformed record ({record.Reason})",
        };
        return CsvImportResult.Failed($"is not valid CSV: line {record.LineNumber}: {why}; nothing was imported");
    }

    private static string? HeaderError(IReadOnlyList<string> headers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in headers)
        {
            var name = raw.Trim().ToLowerInvariant();
            if (!Columns.Contains(name))
            {
                if (IpAddressText.Parse(headers[0]) is not null)
                    return $"has no header row: line 1 must name the columns, such as address,port,source,note (found \"{headers[0]}\")";
                if (name.Contains(';', StringComparison.Ordinal) || name.Contains('\t', StringComparison.Ordinal))
                    return $"line 1: unknown column \"{raw}\"; columns must be separated by commas";
                return $"line 1: unknown column \"{raw}\"; the columns are {ColumnList}";
            }
            if (!seen.Add(name)) return $"line 1: column \"{name}\" appears twice";
        }
        return seen.Contains("address") ? null : $"line 1: the header has no \"address\" column (found {string.Join(",", headers)})";
    }

    private static int IndexOf(IReadOnlyList<string> headers, string column)
    {
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Trim(), column, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    private static string? Field(CsvReader reader, int index) =>
        index >= 0 && index < reader.FieldCount ? reader.GetString(index) : null;

    /// <summary>Trailing empty fields ("1.2.3.4,25,,") are what spreadsheets write; text beyond the header's columns is not.</summary>
    private static string? ExtraFields(CsvReader reader, int columns)
    {
        for (var i = columns; i < reader.FieldCount; i++)
        {
            if (!string.IsNullOrWhiteSpace(reader.GetString(i)))
                return $"has {reader.FieldCount} fields but the header names {columns} column{(columns == 1 ? "" : "s")}";
        }
        return null;
    }
}
