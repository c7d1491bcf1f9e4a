using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// Cases and their contacts as CSV or JSON, for handing to CERTs and upstreams: the one writer behind the CLI's
/// <c>export</c>, <c>GET /api/export/{cases|contacts}</c> and the case list's export links. Cases are read newest
/// first in keyset batches of <see cref="BatchSize"/>, each with one query for its probes, notices and contacts, and
/// written as they are read, so a 100,000-case export neither holds everything in memory nor runs a query per row.
/// <para>
/// CSV (RFC 4180): a header row, CRLF line ends, fields quoted when they hold a comma, quote or line break, times in
/// UTC ISO 8601 (<c>2026-12-02T04:00:00Z</c>). Cells a spreadsheet would read as a formula (starting with = + - @,
/// tab or CR) are prefixed with a quote: host names, sources and contact addresses come from outside (CsvHelper's
/// <see cref="CsvInjection.Escape"/>, OWASP's "CSV injection"). JSON: one array of <see cref="CaseExportDto"/> or
/// <see cref="ContactExportDto"/>, the API's own shapes and serializer settings.
/// </para>
/// Output is written asynchronously batch by batch (Kestrel refuses synchronous writes).
/// </summary>
public static class CaseExport
{
    public const int BatchSize = 500;

    public static readonly IReadOnlyList<string> CaseHeader =
        ["reference", "address", "port", "state", "source", "host name", "MTA", "network", "assignee", "created", "updated",
         "first verdict", "first verdict at", "last verdict", "last verdict at", "notices sent", "last notice at",
         "resolved at", "escalated at", "closed reason", "next action", "next action at", "contacts"];

    public static readonly IReadOnlyList<string> ContactHeader =
        ["reference", "address", "port", "state", "rank", "contact", "source", "sources", "tier", "confidence", "status",
         "reason", "network prefix length", "first seen", "last seen"];

    /// <summary>Only the cases changed (<see cref="Case.UpdatedAt"/>) at or after <paramref name="since"/>; all when null.</summary>
    public static IQueryable<Case> ChangedSince(IQueryable<Case> cases, DateTimeOffset? since) =>
        since is { } from ? cases.Where(c => c.UpdatedAt >= from) : cases;

    /// <summary>
    /// Reads <c>--since</c> / <c>since=</c>: an ISO 8601 date (<c>2026-11-01</c>, midnight UTC) or date and time
    /// (<c>2026-11-01T12:00:00Z</c>; without an offset, UTC). Null text: no limit.
    /// </summary>
    public static bool TryReadSince(string? text, out DateTimeOffset? since)
    {
        since = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        string[] formats = ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];
        if (!DateTimeOffset.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)) return false;
        since = at;
        return true;
    }

    /// <summary>What a wrong <c>since</c> is told.</summary>
    public const string SinceProblem = "must be an ISO 8601 date (2026-11-01) or UTC date and time (2026-11-01T12:00:00Z)";

    public static async Task WriteAsync(NotifierDb db, IQueryable<Case> cases, ExportKind kind, ExportFormat format, Stream output,
        JsonSerializerOptions json, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(output);
        if (format == ExportFormat.Json) await WriteJsonAsync(db, cases, kind, output, json, ct);
        else await WriteCsvAsync(db, cases, kind, output, ct);
    }

    private static async Task WriteCsvAsync(NotifierDb db, IQueryable<Case> cases, ExportKind kind, Stream output, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };
        var header = kind == ExportKind.Contacts ? ContactHeader : CaseHeader;
        await writer.WriteAsync(Text(options, csv => csv.WriteHeader([.. header])).AsMemory(), ct);
        await foreach (var batch in BatchesAsync(db, cases, ct))
        {
            var text = Text(options, csv =>
            {
                foreach (var c in batch)
                {
                    if (kind == ExportKind.Contacts)
                    {
                        foreach (var contact in Contacts(c)) csv.WriteRecord(ContactRow(contact));
                    }
                    else csv.WriteRecord(CaseRow(c));
                }
            });
            await writer.WriteAsync(text.AsMemory(), ct);
            await writer.FlushAsync(ct);
        }
        await writer.FlushAsync(ct);
    }

    private static async Task WriteJsonAsync(NotifierDb db, IQueryable<Case> cases, ExportKind kind, Stream output, JsonSerializerOptions json, CancellationToken ct)
    {
        // Into a buffer, handed to the stream once per batch: JsonSerializer.Serialize flushes its Utf8JsonWriter
        // synchronously, which a writer on the response stream would turn into a refused synchronous write.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = json.WriteIndented, Encoder = json.Encoder });
        writer.WriteStartArray();
        await foreach (var batch in BatchesAsync(db, cases, ct))
        {
            foreach (var c in batch)
            {
                if (kind == ExportKind.Contacts)
                {
                    foreach (var contact in Contacts(c)) JsonSerializer.Serialize(writer, contact, json);
                }
                else JsonSerializer.Serialize(writer, c, json);
            }
            await HandOverAsync(writer, buffer, output, ct);
        }
        writer.WriteEndArray();
        await HandOverAsync(writer, buffer, output, ct);
        await output.FlushAsync(ct);
    }

    private static async Task HandOverAsync(Utf8JsonWriter writer, System.Buffers.ArrayBufferWriter<byte> buffer, Stream output, CancellationToken ct)
    {
        writer.Flush();
        await output.WriteAsync(buffer.WrittenMemory, ct);
        buffer.ResetWrittenCount();
    }

    /// <summary>The cases in batches, newest first, each case with its verdicts, notices sent and contacts.</summary>
    private static async IAsyncEnumerable<List<CaseExportDto>> BatchesAsync(NotifierDb db, IQueryable<Case> cases,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var before = int.MaxValue;
        while (true)
        {
            var from = before;
            var batch = await cases.Where(c => c.Id < from).OrderByDescending(c => c.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) yield break;
            var ids = batch.Select(c => c.Id).ToList();
            var verdicts = (await db.Probes.AsNoTracking().Where(p => ids.Contains(p.CaseId) && p.Verdict != null)
                    .Select(p => new { p.CaseId, p.Id, p.Verdict, p.FinishedAt, p.StartedAt, p.QueuedAt }).ToListAsync(ct))
                .GroupBy(p => p.CaseId)
                .ToDictionary(g => g.Key, g =>
                {
                    var ordered = g.OrderBy(p => p.Id).Select(p => new ExportVerdictDto(p.Verdict!, p.FinishedAt ?? p.StartedAt ?? p.QueuedAt)).ToList();
                    return (First: ordered[0], Last: ordered[^1]);
                });
            var notices = (await db.Notices.AsNoTracking().Where(n => ids.Contains(n.CaseId) && n.SentAt != null)
                    .Select(n => new { n.CaseId, n.SentAt }).ToListAsync(ct))
                .GroupBy(n => n.CaseId)
                .ToDictionary(g => g.Key, g => (Count: g.Count(), Last: g.Max(n => n.SentAt)));
            var contacts = (await db.CaseContacts.AsNoTracking().Where(x => ids.Contains(x.CaseId)).ToListAsync(ct))
                .GroupBy(x => x.CaseId)
                .ToDictionary(g => g.Key, CaseContactDto.List);
            yield return batch.Select(c =>
            {
                var v = verdicts.GetValueOrDefault(c.Id);
                var n = notices.GetValueOrDefault(c.Id);
                return new CaseExportDto(CaseSummaryDto.From(c), v.First, v.Last, n.Count, n.Last, contacts.GetValueOrDefault(c.Id, []));
            }).ToList();
            before = batch[^1].Id;
        }
    }

    private static IEnumerable<ContactExportDto> Contacts(CaseExportDto c) =>
        c.Contacts.Select(x => new ContactExportDto(c.Case.Reference, c.Case.Address, c.Case.Port, c.Case.State, x));

    private static string[] CaseRow(CaseExportDto e)
    {
        var c = e.Case;
        return [c.Reference, c.Address, Number(c.Port), c.State, c.Source ?? "", c.HostName ?? "", c.Mta ?? "", c.Network ?? "", c.AssignedTo ?? "",
            Time(c.CreatedAt), Time(c.UpdatedAt), e.FirstVerdict?.Verdict ?? "", Time(e.FirstVerdict?.At), e.LastVerdict?.Verdict ?? "",
            Time(e.LastVerdict?.At), Number(e.NoticesSent), Time(e.LastNoticeAt), Time(c.ResolvedAt), Time(c.EscalatedAt), c.ClosedReason ?? "",
            c.NextAction ?? "", Time(c.NextActionAt),
            string.Join(' ', e.Contacts.Select(x => $"{x.Address} ({x.Status})"))];
    }

    private static string[] ContactRow(ContactExportDto e)
    {
        var x = e.Contact;
        return [e.Reference, e.Address, Number(e.Port), e.State, x.Rank is { } rank ? Number(rank) : "", x.Address, x.Source, string.Join(' ', x.Sources),
            x.Tier, x.Confidence, x.Status, x.Reason ?? "", x.NetworkPrefixLength is { } length ? Number(length) : "", Time(x.FirstSeenAt), Time(x.LastSeenAt)];
    }

    private static string Text(CsvWriterOptions options, Action<CsvWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, options, leaveOpen: true)) write(csv);
        return text.ToString();
    }

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
}
