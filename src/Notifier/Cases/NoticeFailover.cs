using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Telemetry;

namespace Notifier.Cases;

/// <summary>
/// A contact refused a notice for good (a 5xx at hand-over, or a DSN that came back later): the address is marked
/// bounced the way the inbox marks any bounce (a permanent <see cref="ContactBounce"/>, which every later ranking
/// counts, and the case's contact row set to bounced now), and the next ranked active contact gets the notice,
/// approved as the refused one was. With nobody left the case says "no working contact". Tracked, not saved: the
/// caller saves it in its own transaction (the notice job's outcome, or the inbox's stored DSN).
/// </summary>
public sealed class NoticeFailover(NotifierDb db, NoticeSuppressions suppressions, NotifierMetrics metrics)
{
    public async Task<Notice?> FailOverAsync(Case c, Notice refused, string detail, string? reason, DateTimeOffset now, CancellationToken ct)
    {
        CaseWorkflow.NoticeRejected(c, refused, detail, now);
        metrics.NoticeFailedOver(reason ?? "refused");
        db.ContactBounces.Add(new ContactBounce
        {
            Address = refused.Recipient,
            At = now,
            Diagnostic = Cap(detail, 1000),
            CaseId = c.Id,
            Temporary = false,
            Reason = reason ?? "other",
        });
        var bounced = ContactText.Of(ContactStatus.Bounced);
        var row = await db.CaseContacts.SingleOrDefaultAsync(x => x.CaseId == c.Id && x.Address == refused.Recipient, ct);
        if (row is not null)
        {
            row.Status = bounced;
            row.StatusReason = Cap($"notice {refused.Id} refused: {detail}", 1000);
            row.RankedAt = now;
        }
        return await NextAsync(c, refused, $"failover: {refused.Recipient} refused notice {refused.Id}", now, ct);
    }

    /// <summary>
    /// The next ranked active contact of the case that has not refused (or been refused) a notice of the case yet, and
    /// is not suppressed: it gets a notice replacing <paramref name="previous"/>. None: no working contact.
    /// </summary>
    public async Task<Notice?> NextAsync(Case c, Notice previous, string why, DateTimeOffset now, CancellationToken ct)
    {
        var active = ContactText.Of(ContactStatus.Active);
        var tried = await db.Notices.Where(n => n.CaseId == c.Id && (n.State == NoticeState.Rejected || n.State == NoticeState.Cancelled))
            .Select(n => n.Recipient).ToListAsync(ct);
        tried.Add(previous.Recipient);
        var candidates = await db.CaseContacts.Where(x => x.CaseId == c.Id && x.Rank != null && x.Status == active)
            .OrderBy(x => x.Rank).ToListAsync(ct);
        foreach (var next in candidates.Where(x => !tried.Contains(x.Address, StringComparer.Ordinal)))
        {
            if (await suppressions.FindAsync(next.Address, ct) is not null) continue;
            var notice = CaseWorkflow.PlanNotice(c, previous.Kind, next.Address, next.Id, previous.ApprovedBy, previous.Id, now, CaseWorkflow.System, why, now);
            db.Notices.Add(notice);
            return notice;
        }
        CaseWorkflow.NoWorkingContact(c, $"{why}; no further active contact ({candidates.Count} ranked active, all tried)", now);
        return null;
    }

    private static string Cap(string s, int max) => s.Length <= max ? s : s[..max];
}
