using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// The case read queries, written once for the cases API and the dashboard pages: a page of cases with their last
/// verdict, and one case with everything shown about it. Read-only (no tracking); transitions stay in CaseWorkflow.
/// </summary>
public static class CaseQueries
{
    /// <summary>One page of the cases <paramref name="query"/> selects, with the total they number.</summary>
    public static async Task<(IReadOnlyList<CaseSummaryDto> Items, int Total)> ListAsync(
        NotifierDb db, CaseListQuery query, int page, int pageSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var cases = db.Cases.AsNoTracking();
        if (query.InState is not null) cases = cases.Where(c => c.State == query.InState);
        else if (query.OpenWhenNoState) cases = cases.Where(c => c.State != CaseState.Closed);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var text = query.Search.Trim();
            cases = CaseReference.Find(text) is { } id
                ? cases.Where(c => c.Id == id)
                : query.SearchNotes
                    ? cases.Where(c => c.Address.StartsWith(text) || (c.Source != null && c.Source.Contains(text)) || (c.Note != null && c.Note.Contains(text)))
                    : cases.Where(c => c.Address.StartsWith(text) || (c.Source != null && c.Source.Contains(text)));
        }
        var total = await cases.CountAsync(ct);
        var ordered = query.Order == CaseListOrder.AttentionThenRecentlyChanged
            ? cases.OrderByDescending(c => c.NeedsAttention).ThenByDescending(c => c.UpdatedAt)
            : cases.OrderByDescending(c => c.Id);
        var rows = await ordered.Skip(CasePaging.Offset(page, pageSize)).Take(pageSize)
            .Select(c => new { Case = c, Last = c.Probes.Where(p => p.Verdict != null).OrderByDescending(p => p.Id).Select(p => p.Verdict).FirstOrDefault() })
            .ToListAsync(ct);
        return (rows.Select(r => CaseSummaryDto.From(r.Case, r.Last)).ToList(), total);
    }

    /// <summary>The case with its probes, events, samples and contacts; null when there is no such case.</summary>
    public static async Task<CaseDetail?> DetailAsync(NotifierDb db, int id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var c = await db.Cases.AsNoTracking().SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return null;
        var probes = await db.Probes.AsNoTracking().Where(p => p.CaseId == id).OrderByDescending(p => p.Id).ToListAsync(ct);
        var events = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == id).OrderBy(e => e.Id).ToListAsync(ct);
        // The length is computed by the database: a sample can be megabytes, and neither the API nor the page shows it.
        var samples = await db.Samples.AsNoTracking().Where(s => s.CaseId == id).OrderBy(s => s.Id)
            .Select(s => new SampleDto(s.Id, s.ReceivedAt, s.Subject, s.From, s.MessageId, s.Date, s.Raw.Length)).ToListAsync(ct);
        var contacts = await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == id).ToListAsync(ct);
        var lookup = await db.CaseContactLookups.AsNoTracking().SingleOrDefaultAsync(x => x.CaseId == id, ct);
        var notices = await db.Notices.AsNoTracking().Where(x => x.CaseId == id).OrderBy(x => x.Id).ToListAsync(ct);
        return new CaseDetail(c, probes.Select(ProbeDto.From).ToList(), events, samples, CaseContactDto.List(contacts),
            lookup is null ? null : ContactLookupDto.From(lookup), notices.Select(NoticeDto.From).ToList());
    }
}
