namespace Notifier.Cases;

/// <summary>
/// The case state machine in one place: every transition sets the state, what is due next, and writes the
/// timeline events. Pure (no I/O) so that a 30-day case can be lived through in a test. It is the only code that
/// assigns <see cref="Case.State"/>, <see cref="Case.NextAction"/> and <see cref="Case.NextActionAt"/>. This file
/// holds opening, reports, mail and closing; the phases are partial files beside it (CaseWorkflow.Probing.cs,
/// CaseWorkflow.Confirmation.cs, CaseWorkflow.Contacts.cs).
/// </summary>
public static partial class CaseWorkflow
{
    public const string System = "system";

    /// <summary>The actor of what the inbox records on its own.</summary>
    public const string Inbox = "inbox";

    public static Case Open(string address, int port, string relayKey, string? source, string? note, string actor, DateTimeOffset now)
    {
        var c = new Case
        {
            Address = address,
            Port = port,
            AddressKey = CaseAddressKey.Of(address),
            RelayKey = relayKey,
            OpenRelayKey = relayKey,
            Source = source,
            Note = note,
            State = CaseState.New,
            CreatedAt = now,
            UpdatedAt = now,
            NextAction = CaseAction.Probe,
            NextActionAt = now,
        };
        c.Events.Add(Event(now, actor, CaseEventKind.Created, $"Case opened for {relayKey}" + (source is null ? "" : $" (source: {source})"), null));
        return c;
    }

    /// <summary>
    /// Another report of a relay that already has an open case. A resolved relay reported again may be open again:
    /// a retest is requested (under <see cref="RetestOptions.MinInterval"/>), and if it finds it open the case is reopened.
    /// </summary>
    public static void AddReport(Case c, string? source, string? note, string actor, RetestOptions retests, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Reported,
            $"Reported again{(source is null ? "" : $" by {source}")}{(note is null ? "" : $": {note}")}", null));
        if (c.State == CaseState.Resolved) RequestRetest(c, actor, "the resolved relay was reported again", retests, now);
    }

    /// <summary>Mail about the case arrived (a bounce, an auto-reply, a reply): on the timeline, and flagged when a person should read it.</summary>
    public static void MailReceived(Case c, string kind, string summary, bool needsAttention, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        if (needsAttention) c.NeedsAttention = true;
        if (kind == CaseEventKind.Reply) ReplyReceived(c, Inbox, summary, now);
        else c.Events.Add(Event(now, Inbox, kind, summary, null));
    }

    /// <summary>
    /// The one place a <see cref="CaseEventKind.Reply"/> goes on the timeline (the inbox's replies, the owner page's
    /// notes): with it <see cref="Case.LastReplyAt"/> moves to the latest reply's time (never back, should replies be
    /// recorded out of order), which is what <see cref="IgnoredNotices"/> counts from.
    /// </summary>
    private static void ReplyReceived(Case c, string actor, string summary, DateTimeOffset now)
    {
        c.Events.Add(Event(now, actor, CaseEventKind.Reply, summary, null));
        if (c.LastReplyAt is not { } last || now > last) c.LastReplyAt = now;
    }

    /// <summary>A person corrected what a reply about the case means: on the timeline, with what that changed.</summary>
    public static void ReplyIntentChanged(Case c, string actor, string summary, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.ReplyIntent, summary, null));
    }

    /// <summary>
    /// Closes the case for <paramref name="reason"/> (one of <see cref="CloseReason.All"/>), with an optional note: a
    /// closed case is never probed or notified again, and a new report of its relay opens a new case.
    /// </summary>
    public static void Close(Case c, string actor, string reason, string? note, DateTimeOffset now)
    {
        if (!CloseReason.All.Contains(reason, StringComparer.Ordinal))
            throw new ArgumentException($"unknown close reason \"{reason}\"; one of {string.Join(", ", CloseReason.All)}", nameof(reason));
        Move(c, CaseState.Closed, actor, now, note is null ? reason : $"{reason}: {note}");
        c.ClosedReason = reason;
        c.OpenRelayKey = null;
        c.NextAction = null;
        c.NextActionAt = null;
        c.NextActionRequestedBy = null;
    }

    /// <summary>
    /// The one place a case changes state: only along <see cref="CaseTransitions"/> (anything else is a defect and
    /// throws), with a StateChanged event that names the new state.
    /// </summary>
    private static void Move(Case c, string to, string actor, DateTimeOffset now, string why)
    {
        c.UpdatedAt = now;
        if (c.State == to) return;
        if (!CaseTransitions.IsAllowed(c.State, to))
            throw new InvalidOperationException($"case {c.Reference}: {c.State} → {to} is not a transition of the case state machine ({why})");
        var e = Event(now, actor, CaseEventKind.StateChanged, $"{c.State} → {to}: {why}", null);
        e.ToState = to;
        c.Events.Add(e);
        c.State = to;
    }

    /// <summary>
    /// A probe's verdict moves the case only when the case is where that verdict leads from: a second probe of the
    /// same case finishing after the first already moved it (two were queued, a late one after a close) is kept as
    /// evidence and moves nothing. Returns whether it moved (or already was there).
    /// </summary>
    private static bool MoveIfAllowed(Case c, string to, string actor, DateTimeOffset now, string why)
    {
        if (!CaseTransitions.IsAllowed(c.State, to))
        {
            c.UpdatedAt = now;
            c.Events.Add(Event(now, actor, CaseEventKind.Note, $"Kept as evidence: the case is {c.State}, which does not move to {to} ({why})", null));
            return false;
        }
        Move(c, to, actor, now, why);
        return true;
    }

    public static CaseEvent Event(DateTimeOffset at, string actor, string kind, string summary, string? data) =>
        new() { At = at, Actor = actor, Kind = kind, Summary = summary, Data = data };
}
