using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// Counts what the escalation rule (<c>Retests:EscalateAfterIgnoredNotices</c>) and the retest decision need from a
/// case's history. An ignored notice is one that went out (sent or carried) to a direct contact (not an Escalation
/// to the upstream network, not a Resolved thank-you) with no reply about the case after it: a reply resets the count.
/// </summary>
public sealed class IgnoredNotices(NotifierDb db)
{
    private static readonly string[] NotToDirectContacts = [nameof(NoticeKind.Escalation), nameof(NoticeKind.Resolved)];

    public async Task<int> CountAsync(int caseId, CancellationToken ct)
    {
        var lastReply = await db.InboundMessages.AsNoTracking()
            .Where(m => m.CaseId == caseId && m.Class == InboundClass.Reply)
            .OrderByDescending(m => m.FetchedAt).Select(m => (DateTimeOffset?)m.FetchedAt).FirstOrDefaultAsync(ct);
        var told = await db.Notices.AsNoTracking()
            .Where(n => n.CaseId == caseId && (n.State == NoticeState.Sent || n.State == NoticeState.Carried) && !NotToDirectContacts.Contains(n.Kind))
            .Select(n => n.SentAt).ToListAsync(ct);
        return told.Count(at => lastReply is null || at > lastReply);
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
