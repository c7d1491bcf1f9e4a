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

    /// <summary>Another report of a relay that already has an open case.</summary>
    public static void AddReport(Case c, string? source, string? note, string actor, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Reported,
            $"Reported again{(source is null ? "" : $" by {source}")}{(note is null ? "" : $": {note}")}", null));
    }

    /// <summary>Mail about the case arrived (a bounce, an auto-reply, a reply): on the timeline, and flagged when a person should read it.</summary>
    public static void MailReceived(Case c, string kind, string summary, bool needsAttention, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        if (needsAttention) c.NeedsAttention = true;
        c.Events.Add(Event(now, Inbox, kind, summary, null));
    }

    /// <summary>A person corrected what a reply about the case means: on the timeline, with what that changed.</summary>
    public static void ReplyIntentChanged(Case c, string actor, string summary, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.ReplyIntent, summary, null));
    }

    public static void Close(Case c, string actor, DateTimeOffset now, string why)
    {
        Move(c, CaseState.Closed, actor, now, why);
        c.OpenRelayKey = null;
        c.NextAction = null;
        c.NextActionAt = null;
    }

    private static void Move(Case c, string to, string actor, DateTimeOffset now, string why)
    {
        c.UpdatedAt = now;
        if (c.State == to) return;
        var e = Event(now, actor, CaseEventKind.StateChanged, $"{c.State} → {to}: {why}", null);
        e.ToState = to;
        c.Events.Add(e);
        c.State = to;
    }

    public static CaseEvent Event(DateTimeOffset at, string actor, string kind, string summary, string? data) =>
        new() { At = at, Actor = actor, Kind = kind, Summary = summary, Data = data };
}
