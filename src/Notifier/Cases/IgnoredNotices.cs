using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// Counts what the escalation rule (<c>Retests:EscalateAfterIgnoredNotices</c>) and the retest decision need from a
/// case's history. An ignored notice is one that went out (sent or carried) to a direct contact (not an Escalation
/// to the upstream network, not a Resolved thank-you) with no reply about the case after it: a reply resets the count.
/// Replies are the case's timeline's (the inbox records each one there as a <see cref="CaseEventKind.Reply"/>, the
/// owner page its notes), so Cases does not reach into Inbox's tables; the workflow keeps the latest one's time on the
/// case (<see cref="Case.LastReplyAt"/>), which is what is read here.
/// </summary>
public sealed class IgnoredNotices(NotifierDb db)
{
    private static readonly string[] NotToDirectContacts = [nameof(NoticeKind.Escalation), nameof(NoticeKind.Resolved)];

    public Task<int> CountAsync(int caseId, CancellationToken ct) => Of(db).CountAsync(n => n.CaseId == caseId, ct);

    /// <summary>
    /// Every ignored notice, as a query: the count above for one case, and the queue's "escalations due" for all of
    /// them in one SQL statement (no query per case). A notice is ignored when no reply came at or after it was sent:
    /// the latest reply is older than the notice, or there is none. Read from <see cref="Case.LastReplyAt"/> rather
    /// than a search of the timeline per notice (a NOT EXISTS over CaseEvents for each notice of each notified case
    /// was most of the queue's time at 100,000 cases, issue 17). A notice marked sent with no time (none is written so)
    /// counts as ignored, as it did when this was a search of the timeline.
    /// </summary>
    public static IQueryable<Notice> Of(NotifierDb db) =>
        WentOut(db).Where(n => n.Case!.LastReplyAt == null || n.SentAt == null || n.SentAt > n.Case.LastReplyAt);

    /// <summary>
    /// The cases with at least <paramref name="count"/> ignored notices (<see cref="Of"/>), as one query: first the
    /// cases that sent that many notices at all, read from the notices' index alone (State, Kind, CaseId), and only
    /// those counted exactly. Counting every notified case's notices one case at a time was most of the queue's time at
    /// 100,000 cases (issue 17); a case with fewer notices sent can have no more ignored, so the first step drops nothing.
    /// </summary>
    public static IQueryable<int> CasesWithAtLeast(NotifierDb db, int count)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sentEnough = WentOut(db).GroupBy(n => n.CaseId).Where(g => g.Count() >= count).Select(g => g.Key);
        return db.Cases.Where(c => sentEnough.Contains(c.Id) && Of(db).Count(n => n.CaseId == c.Id) >= count).Select(c => c.Id);
    }

    /// <summary>The notices that can be ignored: those that went out (sent or carried) to a direct contact.</summary>
    private static IQueryable<Notice> WentOut(NotifierDb db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Notices.AsNoTracking()
            .Where(n => (n.State == NoticeState.Sent || n.State == NoticeState.Carried) && !NotToDirectContacts.Contains(n.Kind));
    }

    /// <summary>What <see cref="CaseWorkflow.RetestFinished"/> needs for the case, <paramref name="retest"/> itself not counted.</summary>
    public async Task<RetestHistory> HistoryAsync(Case c, int retest, CancellationToken ct)
    {
        var ignored = await CountAsync(c.Id, ct);
        var openSince = 0;
        if (c.EscalatedAt is { } escalated)
        {
            var finished = await db.Probes.AsNoTracking()
                .Where(p => p.CaseId == c.Id && p.Id != retest && p.Kind == ProbeKind.Retest && p.RetestOutcome == RetestOutcome.Open)
                .Select(p => p.FinishedAt).ToListAsync(ct);
            openSince = finished.Count(at => at > escalated);
        }
        return new RetestHistory(ignored, openSince);
    }
}
