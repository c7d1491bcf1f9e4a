namespace Notifier.Cases;

/// <summary>
/// What a relay owner says about the case on the owner page (<c>/r/&lt;token&gt;</c>): "not our server", "don't
/// contact us again", a note to the desk. Each flags the case for a person, as a reply does: the owner page speaks for
/// the contact the notice went to, and what they say may change who is notified next.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>The actor of what the contact at <paramref name="address"/> did on the owner page (the link proves the address).</summary>
    public static string OwnerPageActor(string address) => $"owner:{address}";

    /// <summary>The contact says the relay is not theirs: the caller disabled it for this case; a person checks who is told instead.</summary>
    public static void OwnerSaidNotOurs(Case c, string address, string reason, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.NeedsAttention = true;
        c.Events.Add(Event(now, OwnerPageActor(address), CaseEventKind.OwnerNotOurs,
            $"{address} says on the owner page that {c.Address} is not their server: \"{reason}\"; disabled for this case, no more notices to it about it", null));
    }

    /// <summary>The contact asked never to be mailed again (<paramref name="how"/>: the page or one-click): the caller suppressed the address.</summary>
    public static void OwnerOptedOut(Case c, string address, string how, string reason, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.NeedsAttention = true;
        c.Events.Add(Event(now, OwnerPageActor(address), CaseEventKind.OwnerOptOut,
            $"{address} opted out {how}: \"{reason}\"; suppressed, never notified again about any case", null));
    }

    /// <summary>
    /// The contact wrote a note on the owner page, stored as a reply (an <c>InboundMessage</c> of class reply): on the
    /// timeline as a <see cref="CaseEventKind.Reply"/>, so the queue's replies section and the case page show it as
    /// they show a mailed reply, and flagged for a person to read.
    /// </summary>
    public static void OwnerNoteReceived(Case c, string address, string summary, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.NeedsAttention = true;
        ReplyReceived(c, OwnerPageActor(address), summary, now);
    }
}
