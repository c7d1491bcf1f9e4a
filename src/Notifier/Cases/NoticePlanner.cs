using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// Plans first notices: to the rank-1 active contact of a confirmed case, awaiting approval when
/// <c>Notices:RequireApproval</c> is set (the default) or queued at once. Never for an <c>Unconfirmed</c>
/// (accepts-but-drops) case unless an operator asks explicitly; suppressions always win. Pacing (the daily budget
/// per recipient domain, the re-notify period) is applied when a notice is about to be sent (<see cref="NoticePacing"/>),
/// so an approval cannot skip it. Tracked, not saved: the caller saves with its own changes.
/// </summary>
public sealed class NoticePlanner(NotifierDb db, NoticeSuppressions suppressions, IOptions<NoticePolicyOptions> options)
{
    /// <summary>
    /// After a contact lookup (system) or on an operator's request (<paramref name="operatorActor"/> set: approved by
    /// them, and an Unconfirmed case allowed only with <paramref name="allowUnconfirmed"/>). Returns the planned
    /// notice, or the one already under way, or null with the reason on the timeline.
    /// </summary>
    public async Task<Notice?> PlanFirstNoticeAsync(Case c, string? operatorActor, bool allowUnconfirmed, DateTimeOffset now, CancellationToken ct)
    {
        var underWay = await db.Notices.FirstOrDefaultAsync(n => n.CaseId == c.Id
            && (n.State == NoticeState.AwaitingApproval || n.State == NoticeState.Queued || n.State == NoticeState.Sending), ct);
        if (underWay is not null) return underWay;
        if (c.State == CaseState.Unconfirmed && !(operatorActor is not null && allowUnconfirmed))
        {
            CaseWorkflow.NoticeNotPlanned(c, "the relay accepted our test messages but none arrived (accepts-but-drops, possibly a false positive); "
                + "an operator must ask for a notice explicitly (allowUnconfirmed)", false, now);
            return null;
        }
        if (c.State is not (CaseState.Confirmed or CaseState.Unconfirmed) && operatorActor is null) return null;
        if (c.State == CaseState.Closed)
        {
            CaseWorkflow.NoticeNotPlanned(c, "the case is closed", false, now);
            return null;
        }
        var active = ContactText.Of(ContactStatus.Active);
        var contacts = await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == c.Id && x.Rank != null && x.Status == active)
            .OrderBy(x => x.Rank).ToListAsync(ct);
        foreach (var contact in contacts)
        {
            if (await suppressions.FindAsync(contact.Address, ct) is { } s)
            {
                CaseWorkflow.NoticeNotPlanned(c, $"{contact.Address} is suppressed ({s.Value}: {s.Reason}); the next contact is taken", false, now);
                continue;
            }
            var approvedBy = operatorActor ?? (options.Value.RequireApproval ? null : CaseWorkflow.System);
            var why = operatorActor is not null ? $"requested by {operatorActor}" : $"rank {contact.Rank} contact ({contact.Source})";
            var notice = CaseWorkflow.PlanNotice(c, nameof(NoticeKind.FirstNotice), contact.Address, contact.Id, approvedBy, null, now,
                operatorActor ?? CaseWorkflow.System, why, now);
            db.Notices.Add(notice);
            return notice;
        }
        CaseWorkflow.NoticeNotPlanned(c, contacts.Count == 0 ? "no active contact to write to" : "every active contact is suppressed", true, now);
        return null;
    }
}
