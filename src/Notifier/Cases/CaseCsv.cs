using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// The case list as CSV (the dashboard's export of its current filter): every case, newest first, written in batches
/// as it is read, with one contacts query per batch, so a 100,000-case export neither loads everything nor runs a
/// query per row. Cells that a spreadsheet would read as a formula (= + - @, tab, CR at the start) are prefixed with
/// a quote: host names, sources and contacts come from outside (CsvHelper's CsvInjection.Escape, OWASP's
/// "CSV injection" advice). Each batch is written to text first and then to the response asynchronously (Kestrel
/// refuses synchronous writes).
/// </summary>
public static class CaseCsv
{
    public const int BatchSize = 500;

    public static readonly IReadOnlyList<string> Header =
        ["reference", "address", "port", "state", "source", "host name", "MTA", "assignee", "created", "updated", "next action", "next action at", "contacts"];

    public static async Task WriteAsync(NotifierDb db, IQueryable<Case> cases, TextWriter writer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(writer);
        var options = new CsvWriterOptions { Injection = CsvInjection.Escape, FormatProvider = CultureInfo.InvariantCulture };
        await writer.WriteAsync(Text(options, csv => csv.WriteHeader([.. Header])).AsMemory(), ct);
        var before = int.MaxValue;
        while (true)
        {
            var from = before;
            var batch = await cases.Where(c => c.Id < from).OrderByDescending(c => c.Id).Take(BatchSize).ToListAsync(ct);
            if (batch.Count == 0) break;
            var ids = batch.Select(c => c.Id).ToList();
            var contacts = (await db.CaseContacts.AsNoTracking().Where(x => ids.Contains(x.CaseId))
                    .Select(x => new { x.CaseId, x.Address, x.Status, x.Rank }).ToListAsync(ct))
                .GroupBy(x => x.CaseId)
                .ToDictionary(g => g.Key, g => string.Join(' ', g.OrderBy(x => x.Rank ?? int.MaxValue).ThenBy(x => x.Address, StringComparer.Ordinal).Select(x => $"{x.Address} ({x.Status})")));
            var text = Text(options, csv =>
            {
                foreach (var c in batch)
                {
                    csv.WriteRecord([c.Reference, c.Address, c.Port.ToString(CultureInfo.InvariantCulture), c.State, c.Source ?? "", c.HostName ?? "",
                        c.Mta ?? "", c.AssignedTo ?? "", Time(c.CreatedAt), Time(c.UpdatedAt), c.NextAction ?? "",
                        c.NextActionAt is { } at ? Time(at) : "", contacts.GetValueOrDefault(c.Id, "")]);
                }
            });
            await writer.WriteAsync(text.AsMemory(), ct);
            await writer.FlushAsync(ct);
            before = batch[^1].Id;
        }
        await writer.FlushAsync(ct);
    }

    private static string Text(CsvWriterOptions options, Action<CsvWriter> write)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, options, leaveOpen: true)) write(csv);
        return text.ToString();
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
