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
    /// <summary>One page of the cases <paramref name="query"/> selects, with the total they number (counted in SQL, paged in SQL).</summary>
    public static async Task<(IReadOnlyList<CaseSummaryDto> Items, int Total)> ListAsync(
        NotifierDb db, CaseListQuery query, DateTimeOffset now, RetestOptions retests, int page, int pageSize, CancellationToken ct)
    {
        var cases = Filter(db, query, now, retests);
        var rows = await Ordered(cases, query.Order, query.ByStateAlone).Skip(CasePaging.Offset(page, pageSize)).Take(pageSize).ToListAsync(ct);
        // A first page that is not full holds every match: no second pass over the table to count them (most
        // searches find a handful of cases).
        var total = page == 1 && rows.Count < pageSize ? rows.Count : await cases.CountAsync(ct);
        return (rows.Select(CaseSummaryDto.From).ToList(), total);
    }

    /// <summary>
    /// The cases <paramref name="query"/> selects, as one SQL query (no tracking): what the list pages, counts and
    /// exports. <paramref name="now"/> and <paramref name="retests"/> are what the age filters and the queue sections count from.
    /// </summary>
    public static IQueryable<Case> Filter(NotifierDb db, CaseListQuery query, DateTimeOffset now, RetestOptions retests)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var cases = db.Cases.AsNoTracking();
        if (query.InState is not null) cases = cases.Where(c => c.State == query.InState);
        else if (query.OpenWhenNoState) cases = cases.Where(c => c.State != CaseState.Closed);
        if (query.Source is not null) cases = cases.Where(c => c.Source == query.Source);
        if (query.Mta is not null) cases = cases.Where(c => c.Mta == query.Mta);
        if (query.Network is { } network)
        {
            var (from, to) = CaseAddressKey.RangeOf(network);
            // EF Core translates string.Compare to SQL's >= and <=, ordered by the column's byte-order collation
            // (CaseAddressKey); string.CompareOrdinal has no translation, and CA1309 is about comparisons in .NET.
#pragma warning disable CA1309
            cases = cases.Where(c => string.Compare(c.AddressKey, from) >= 0 && string.Compare(c.AddressKey, to) <= 0);
#pragma warning restore CA1309
        }
        if (query.OpenedWithinDays is { } within)
        {
            var since = now - TimeSpan.FromDays(within);
            cases = cases.Where(c => c.CreatedAt >= since);
        }
        if (query.OpenedBeforeDays is { } older)
        {
            var before = now - TimeSpan.FromDays(older);
            cases = cases.Where(c => c.CreatedAt < before);
        }
        if (query.Unassigned) cases = cases.Where(c => c.AssignedTo == null);
        else if (query.AssignedTo is not null) cases = cases.Where(c => c.AssignedTo == query.AssignedTo);
        if (query.Section is { } section) cases = section.Apply(cases, db, retests, now);
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var text = query.Search.Trim();
            // Host names and contact addresses are stored in lowercase (DNS names and normalised addresses).
            var lower = text.ToLowerInvariant();
            if (CaseReference.Find(text) is { } id) cases = cases.Where(c => c.Id == id);
            else if (IsAddressPrefix(lower))
            {
                // The start of an address: a range over the index of Address (binary collation on every provider,
                // so text order is byte order and the range is exactly the addresses that start so).
                var end = lower + char.MaxValue;
                // string.Compare translates to SQL's >= and < (see the network filter above for CA1309).
#pragma warning disable CA1309
                cases = cases.Where(c => string.Compare(c.Address, lower) >= 0 && string.Compare(c.Address, end) < 0);
#pragma warning restore CA1309
            }
            else
            {
                // Words: a part of the host name, of a contact address, of the source or of the note. The contacts
                // that match are found once (IN), not looked up again for every case.
                var contacted = db.CaseContacts.Where(x => x.Address.Contains(lower)).Select(x => x.CaseId);
                cases = cases.Where(c => (c.HostName != null && c.HostName.Contains(lower))
                    || contacted.Contains(c.Id)
                    || (c.Source != null && c.Source.Contains(text))
                    || (c.Note != null && c.Note.Contains(text)));
            }
        }
        return cases;
    }

    /// <summary>
    /// Whether a search is the start of an address (canonical text, lowercase): IPv4 digits and dots with at least
    /// one dot ("127.1.200."), or IPv6 hex digits and colons with at least one colon ("2001:db8:").
    /// </summary>
    public static bool IsAddressPrefix(string text) =>
        (text.Contains('.', StringComparison.Ordinal) && text.All(ch => char.IsAsciiDigit(ch) || ch == '.'))
        || (text.Contains(':', StringComparison.Ordinal) && text.All(ch => char.IsAsciiHexDigitLower(ch) || ch is ':' or '.'));

    /// <summary>
    /// The order of <paramref name="order"/>, with the id last so that pages never overlap. The operators' order is
    /// an index's, (NeedsAttention, UpdatedAt) with the id in it: a list of (nearly) every open case reads its page by
    /// walking that index backwards instead of sorting them all (66 ms at 100,000 cases, 0.66 s at a million; issue
    /// 17). When <paramref name="mostMatch"/> is false (a search or another narrow filter) the same order is written
    /// as an expression the index cannot serve (CASE WHEN NeedsAttention), because SQLite's planner would otherwise
    /// walk that index too and look up every case's row to test a filter that few pass, where scanning the table and
    /// sorting the few matches is several times faster.
    /// </summary>
    public static IQueryable<Case> Ordered(IQueryable<Case> cases, CaseListOrder order, bool mostMatch = false)
    {
        if (order != CaseListOrder.AttentionThenRecentlyChanged) return cases.OrderByDescending(c => c.Id);
        var attention = mostMatch ? cases.OrderByDescending(c => c.NeedsAttention) : cases.OrderByDescending(c => c.NeedsAttention ? 1 : 0);
        return attention.ThenByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id);
    }

    /// <summary>The case with its probes, events, samples and contacts; null when there is no such case.</summary>
    public static async Task<CaseDetail?> DetailAsync(NotifierDb db, int id, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        // One snapshot for all the reads below, or a job committing between them tears the page.
        await using var snapshot = await ReadSnapshot.BeginAsync(db, ct);
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
