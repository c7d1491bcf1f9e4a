using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Telemetry;

namespace Notifier.Cases;

/// <summary>
/// A DSN came back for a sent notice (its VERP return path names the notice): a permanent failure fails over to the
/// next contact as a 5xx at hand-over does; a delay is noted on the case and changes nothing (the MTA still tries).
/// Tracked, not saved: the inbox saves it with the stored DSN in one transaction.
/// </summary>
public sealed class NoticeBounces(NotifierDb db, NoticeFailover failover, NoticeBatch batch, NotifierMetrics metrics)
{
    /// <param name="permanent">The DSN says <c>failed</c> with no 4.x.x status (RFC 3464 §2.3.3, RFC 3463 §3.1).</param>
    /// <param name="diagnostic">Status and diagnostic as the DSN gave them.</param>
    /// <param name="reason">The reason class (unknown-user, mailbox-full, policy, …).</param>
    /// <returns>The case, and what was done, for the stored message; null case when the notice is unknown.</returns>
    public async Task<(int? CaseId, string Detail)> BouncedAsync(long noticeId, bool permanent, string diagnostic, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var n = await db.Notices.Include(x => x.Case).SingleOrDefaultAsync(x => x.Id == noticeId, ct);
        if (n is null) return (null, $"bounce to a verified return path naming notice {noticeId}, which is not on record: nothing marked");
        var c = n.Case!;
        if (!permanent)
        {
            CaseWorkflow.MailReceived(c, CaseEventKind.Bounce, $"Notice {n.Id} to {n.Recipient} delayed ({diagnostic}); the receiving MTA keeps trying", false, now);
            return (c.Id, $"delay report for notice {n.Id} to {n.Recipient}: noted, nothing marked");
        }
        if (n.State != NoticeState.Sent)
        {
            CaseWorkflow.MailReceived(c, CaseEventKind.Bounce, $"Bounce for notice {n.Id} to {n.Recipient} ({diagnostic}), which is {n.State}: nothing changed", false, now);
            return (c.Id, $"bounce for notice {n.Id}, already {n.State}: nothing changed");
        }
        metrics.NoticeBounced(reason);
        var next = await failover.FailOverAsync(c, n, $"bounced after it was sent: {diagnostic}", reason, now, ct);
        // A batched message spoke for several cases: the bounce is each one's, and each fails over to its own next contact.
        var carried = await batch.CarriedAsync(n, NoticeState.Carried, ct);
        foreach (var x in carried) await failover.FailOverAsync(x.Case!, x, $"notice {n.Id}, which carried it, bounced after it was sent: {diagnostic}", reason, now, ct);
        return (c.Id, $"bounce of notice {n.Id} to {n.Recipient}: contact marked bounced; "
            + (next is null ? "no further contact (needs attention)" : $"notice planned for {next.Recipient}")
            + (carried.Count == 0 ? "" : $"; the {carried.Count} notices it carried failed over too"));
    }
}
