using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>One case in a queue section, with why it is there.</summary>
public sealed record CaseQueueRow(CaseSummaryDto Case, string Why);

/// <summary>
/// A queue section as the home page shows it: how many cases it holds and the ones waiting longest. The count is
/// exact up to the board's limit; past it the section holds "at least" that many (<see cref="CountText"/>).
/// </summary>
public sealed record CaseQueueView(CaseQueueSection Section, int Count, IReadOnlyList<CaseQueueRow> Rows, int CountedUpTo = CaseQueueBoard.CountedUpTo)
{
    /// <summary>Whether the section holds more cases than were counted (<see cref="Count"/> is then the limit plus one).</summary>
    public bool MoreThanCounted => Count > CountedUpTo;

    /// <summary>The count as the page prints it: "734", or "1,000+" past the limit.</summary>
    public string CountText => MoreThanCounted
        ? CountedUpTo.ToString("N0", CultureInfo.InvariantCulture) + "+"
        : Count.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>
/// The operators' queue (issue 13): every <see cref="CaseQueueSection"/> with its count (in SQL) and its top rows,
/// waiting longest first (least recently changed), each with why it needs a person. A fixed number of queries per
/// section, whatever the number of cases.
/// </summary>
public static class CaseQueueBoard
{
    public const int RowsShown = 10;

    /// <summary>
    /// How far a section's cases are counted: past it the page says "1,000+" (the case list behind "see all" counts
    /// them all). A person works a section from its top rows whatever its size, and counting every member made the
    /// queue grow with the database (13,700 notices awaiting approval at 100,000 cases, ten times that at a million;
    /// issue 17); a count that stops at the limit reads at most that many members.
    /// </summary>
    public const int CountedUpTo = 1000;

    public static async Task<IReadOnlyList<CaseQueueView>> LoadAsync(NotifierDb db, RetestOptions retests, DateTimeOffset now, CancellationToken ct,
        int countedUpTo = CountedUpTo)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(retests);
        ArgumentOutOfRangeException.ThrowIfLessThan(countedUpTo, 1);
        var views = new List<CaseQueueView>();
        foreach (var section in CaseQueueSection.All)
        {
            var cases = section.Apply(db.Cases.AsNoTracking(), db, retests, now);
            // COUNT(*) over a LIMIT subquery: the database stops at the first countedUpTo + 1 members.
            var count = await cases.Take(countedUpTo + 1).CountAsync(ct);
            var rows = count == 0 ? [] : await cases.OrderBy(c => c.UpdatedAt).ThenBy(c => c.Id).Take(RowsShown).ToListAsync(ct);
            var why = rows.Count == 0 ? new Dictionary<int, string>() : await WhyAsync(db, section, rows, retests, ct);
            views.Add(new CaseQueueView(section, count,
                rows.Select(c => new CaseQueueRow(CaseSummaryDto.From(c), why.GetValueOrDefault(c.Id, ""))).ToList(), countedUpTo));
        }
        return views;
    }

    /// <summary>Why each of <paramref name="rows"/> is in <paramref name="section"/>: one query for them all.</summary>
    private static async Task<Dictionary<int, string>> WhyAsync(NotifierDb db, CaseQueueSection section, List<Case> rows, RetestOptions retests, CancellationToken ct)
    {
        var ids = rows.Select(c => c.Id).ToList();
        switch (section.Id)
        {
            case "replies":
                var latest = await db.CaseEvents.AsNoTracking().Where(e => ids.Contains(e.CaseId) && CaseQueueSection.ReplyKinds.Contains(e.Kind))
                    .GroupBy(e => e.CaseId).Select(g => g.Max(e => e.Id)).ToListAsync(ct);
                return await db.CaseEvents.AsNoTracking().Where(e => latest.Contains(e.Id)).ToDictionaryAsync(e => e.CaseId, e => e.Summary, ct);
            case "approval":
                var waiting = await db.Notices.AsNoTracking().Where(n => ids.Contains(n.CaseId) && n.State == NoticeState.AwaitingApproval)
                    .OrderBy(n => n.Id).Select(n => new { n.CaseId, n.Kind, n.Recipient }).ToListAsync(ct);
                return waiting.GroupBy(n => n.CaseId).ToDictionary(g => g.Key, g => string.Join("; ", g.Select(n => $"{n.Kind} to {n.Recipient} awaits approval")));
            case "failed":
                var failed = await db.Notices.AsNoTracking()
                    .Where(n => ids.Contains(n.CaseId) && (n.State == NoticeState.Failed || n.State == NoticeState.Interrupted || n.State == NoticeState.Rejected)
                        && !db.Notices.Any(r => r.ReplacesNoticeId == n.Id))
                    .OrderBy(n => n.Id).Select(n => new { n.CaseId, n.Kind, n.Recipient, n.State, n.LastError }).ToListAsync(ct);
                var why = failed.GroupBy(n => n.CaseId).ToDictionary(g => g.Key, g => string.Join("; ", g.Select(n => $"{n.Kind} to {n.Recipient} {n.State}: {n.LastError}")));
                foreach (var id in ids) why.TryAdd(id, "no working contact: every address found is bounced, suppressed or disabled");
                return why;
            case "drops":
                return ids.ToDictionary(id => id, _ => "accepted our test message, which never arrived: judge whether it relays");
            case "no-contact":
                return ids.ToDictionary(id => id, _ => "the contact lookup found no abuse address");
            case "overdue-retests":
                return rows.ToDictionary(c => c.Id, c => string.Create(CultureInfo.InvariantCulture,
                    $"retest due since {c.NextActionAt!.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC and not started: is the dispatcher running?"));
            case "escalations":
                var ignored = await IgnoredNotices.Of(db).Where(n => ids.Contains(n.CaseId)).GroupBy(n => n.CaseId)
                    .Select(g => new { CaseId = g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.CaseId, x => x.Count, ct);
                return ignored.ToDictionary(x => x.Key, x => string.Create(CultureInfo.InvariantCulture,
                    $"{x.Value} notices ignored (Retests:EscalateAfterIgnoredNotices is {retests.EscalateAfterIgnoredNotices}): the next open retest tells the upstream network"));
            default:
                throw new InvalidOperationException($"queue section {section.Id} has no explanation");
        }
    }
}
