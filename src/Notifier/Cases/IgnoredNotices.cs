using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// Counts what the escalation rule (<c>Retests:EscalateAfterIgnoredNotices</c>) and the retest decision need from a
/// case's history. An ignored notice is one that went out (sent or carried) to a direct contact (not an Escalation
/// to the upstream network, not a Resolved thank-you) with no reply about the case after it: a reply resets the count.
/// Replies are read from the case's timeline (the inbox records each one there as a <see cref="CaseEventKind.Reply"/>),
/// so Cases does not reach into Inbox's tables.
/// </summary>
public sealed class IgnoredNotices(NotifierDb db)
{
    private static readonly string[] NotToDirectContacts = [nameof(NoticeKind.Escalation), nameof(NoticeKind.Resolved)];

    public Task<int> CountAsync(int caseId, CancellationToken ct) => Of(db).CountAsync(n => n.CaseId == caseId, ct);

    /// <summary>
    /// Every ignored notice, as a query: the count above for one case, and the queue's "escalations due" for all of
    /// them in one SQL statement (no query per case). A notice is ignored when no reply came at or after it was sent.
    /// </summary>
    public static IQueryable<Notice> Of(NotifierDb db)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Notices.AsNoTracking()
            .Where(n => (n.State == NoticeState.Sent || n.State == NoticeState.Carried) && !NotToDirectContacts.Contains(n.Kind))
            .Where(n => !db.CaseEvents.Any(e => e.CaseId == n.CaseId && e.Kind == CaseEventKind.Reply && e.At >= n.SentAt));
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
