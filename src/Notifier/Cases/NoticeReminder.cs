using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// An operator's reminder: the first notice's facts once more, to the direct contact told last, for a case that was
/// notified and is not found closed. Only an operator sends one (the retests plan StillOpen, Resolved and Escalation
/// themselves), so it is approved by them and queued at once; the re-notify period (<see cref="NoticePacing"/>) still
/// holds a second reminder back, and suppressions always win. Tracked, not saved: the caller saves.
/// </summary>
public static class NoticeReminder
{
    /// <summary>What came of a request: the planned reminder (or the one already under way), or why there is none.</summary>
    /// <param name="NotNotified">The case was never notified: a reminder of nothing (the caller's input is wrong).</param>
    /// <param name="Refusal">The case is notified, but a reminder cannot go now (its state, a notice under way, the contact).</param>
    public sealed record Outcome(Notice? Notice, string? NotNotified, string? Refusal);

    /// <summary>The kinds a reminder follows up on: what went to the direct contacts (not the upstream network, not a thank-you).</summary>
    private static readonly string[] DirectKinds = [nameof(NoticeKind.FirstNotice), nameof(NoticeKind.Reminder), nameof(NoticeKind.StillOpen)];

    /// <summary>
    /// A reminder asked for again this soon after one went out to the same contact is the same request (a double
    /// click, an API call retried after a timeout): the reminder just sent answers it, and no second one is planned
    /// to wait out the re-notify period. Ten rounds of the every-minute dispatcher, as the queue's overdue rule.
    /// </summary>
    public static readonly TimeSpan AskedAgainWithin = TimeSpan.FromMinutes(10);

    public static async Task<Outcome> PlanAsync(NotifierDb db, NoticeSuppressions suppressions, Case c, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var told = await db.Notices.AsNoTracking()
            .Where(n => n.CaseId == c.Id && (n.State == NoticeState.Sent || n.State == NoticeState.Carried) && DirectKinds.Contains(n.Kind))
            .OrderByDescending(n => n.SentAt).ThenByDescending(n => n.Id).FirstOrDefaultAsync(ct);
        if (told is null)
            return new(null, $"{c.Reference} was not notified yet: a reminder follows a sent first notice (plan a {nameof(NoticeKind.FirstNotice)} instead)", null);
        if (c.State == CaseState.Closed) return new(null, null, "the case is closed");
        if (c.State == CaseState.Resolved) return new(null, null, "a retest found the relay closed (Resolved): a reminder would say it is still open");
        if (told.Kind == nameof(NoticeKind.Reminder) && told.SentAt > now - AskedAgainWithin) return new(told, null, null);
        var underWay = await db.Notices.FirstOrDefaultAsync(n => n.CaseId == c.Id
            && (n.State == NoticeState.AwaitingApproval || n.State == NoticeState.Queued || n.State == NoticeState.Sending), ct);
        if (underWay is not null)
        {
            // Asking twice is one reminder; another notice under way goes first.
            return underWay.Kind == nameof(NoticeKind.Reminder) && underWay.Recipient == told.Recipient
                ? new(underWay, null, null)
                : new(null, null, $"notice {underWay.Id} ({underWay.Kind} to {underWay.Recipient}) is {underWay.State}; send the reminder once it is done");
        }
        var contact = await db.CaseContacts.AsNoTracking().FirstOrDefaultAsync(x => x.CaseId == c.Id && x.Address == told.Recipient, ct);
        var active = ContactText.Of(ContactStatus.Active);
        if (contact is not null && contact.Status != active)
            return new(null, null, $"{told.Recipient}, told last, is {contact.Status}" + (contact.StatusReason is null ? "" : $" ({contact.StatusReason})") + ": no reminder to it");
        if (await suppressions.FindAsync(told.Recipient, ct) is { } s)
            return new(null, null, $"{told.Recipient} is suppressed ({s.Value}: {s.Reason})");
        var notice = CaseWorkflow.PlanNotice(c, nameof(NoticeKind.Reminder), told.Recipient, contact?.Id ?? told.CaseContactId, actor, null, now,
            actor, $"reminder requested by {actor}", now);
        db.Notices.Add(notice);
        return new(notice, null, null);
    }
}
