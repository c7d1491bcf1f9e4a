using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>The desk's part in the relay owner's self-service links (<see cref="OwnerLinks"/>): taking one back.</summary>
public static partial class CaseWorkflow
{
    /// <summary>
    /// An operator takes back a contact's live owner link (sent to a wrong address, forwarded too widely): from now on
    /// it opens nothing (410, "withdrawn"), and the timeline says who did it. The contact gets a new link with the next
    /// notice to them. The caller checks that the link is this case's and still live.
    /// </summary>
    public static void OwnerLinkRevoked(Case c, OwnerLink link, string contactAddress, string actor, DateTimeOffset now)
    {
        if (link.CaseId != c.Id) throw new ArgumentException($"owner link {link.Id} belongs to case {link.CaseId}, not {c.Id}", nameof(link));
        link.RevokedAt = now;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.OwnerLinkRevoked,
            $"Owner link {link.Id} of {contactAddress} revoked (it was valid until {NoticeTime.Iso(link.ExpiresAt)})", null));
    }
}
