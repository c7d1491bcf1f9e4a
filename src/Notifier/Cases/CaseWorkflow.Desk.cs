namespace Notifier.Cases;

/// <summary>
/// The abuse desk's own work on a case: who works it, what they note, a planned notice reworded before it goes out,
/// and a closed case reopened.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>
    /// Gives the case to <paramref name="assignee"/> (an operator's user name) to work, or to nobody (null). The caller
    /// checks the name is an operator's. Returns whether anything changed (assigning to the same person again is no event).
    /// </summary>
    public static bool Assign(Case c, string actor, string? assignee, DateTimeOffset now)
    {
        if (string.Equals(c.AssignedTo, assignee, StringComparison.Ordinal)) return false;
        var summary = assignee is null ? $"Unassigned (was {c.AssignedTo})" : c.AssignedTo is null ? $"Assigned to {assignee}" : $"Assigned to {assignee} (was {c.AssignedTo})";
        c.AssignedTo = assignee;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Assigned, summary, null));
        return true;
    }

    /// <summary>An operator's note on the timeline (checked free text: <c>FreeText.MaxNoteLength</c>, line breaks allowed).</summary>
    public static void AddNote(Case c, string actor, string text, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Note, text, null));
    }

    /// <summary>
    /// A person read what flagged the case (a reply, a failed send, a retest that needs a look) and dealt with it: the
    /// case leaves the queue's attention lists until something new flags it again. Returns whether it was flagged.
    /// </summary>
    public static bool AttentionHandled(Case c, string actor, DateTimeOffset now)
    {
        if (!c.NeedsAttention) return false;
        c.NeedsAttention = false;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Handled, "Marked as handled: off the queue until something new arrives", null));
        return true;
    }

    /// <summary>
    /// An operator rewords the plain text of a notice that has not gone out (awaiting approval or queued), with a
    /// reason: the notice job builds the message with <paramref name="text"/> instead of the template's text. A notice
    /// awaiting approval is approved by the same act ("edit and send"); a queued one stays queued at its time.
    /// </summary>
    public static void EditNotice(Case c, Notice n, string actor, string text, string reason, DateTimeOffset now)
    {
        if (n.State is not (NoticeState.AwaitingApproval or NoticeState.Queued))
            throw new InvalidOperationException($"notice {n.Id} is {n.State}: only a notice awaiting approval or queued can be edited");
        var again = n.EditedText is not null;
        n.EditedText = text;
        n.EditReason = reason;
        n.EditedBy = actor;
        n.EditedAt = now;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.NoticeEdited,
            $"{n.Kind} {n.Id} to {n.Recipient}: text {(again ? "edited again" : "edited")} ({text.Length} characters): {reason}", null));
        if (n.State == NoticeState.AwaitingApproval) ApproveNotice(c, n, actor, now);
    }

    /// <summary>
    /// A closed case is opened again (Closed → New) with a probe due now: the relay is looked at afresh, as a new
    /// report would, and keeps its history (probes, notices, the first notice's time for the statistics). The caller
    /// checks that no other case of the relay is open (<see cref="Case.OpenRelayKey"/> is unique; <see cref="CaseReopening"/>).
    /// </summary>
    public static void Reopen(Case c, string actor, string why, DateTimeOffset now)
    {
        var reason = c.ClosedReason;
        Move(c, CaseState.New, actor, now, $"reopened (was closed: {reason ?? "no reason"}): {why}");
        c.OpenRelayKey = c.RelayKey;
        c.ClosedReason = null;
        // A fresh start of the probing, bounded as a new case's is; the retest schedule starts again from a new notice.
        c.ProbeAttempts = 0;
        c.UnreachableReprobes = 0;
        c.InconclusiveInARow = 0;
        c.RetestsDone = 0;
        c.ScheduleFrom = null;
        c.NextAction = CaseAction.Probe;
        c.NextActionAt = now;
        c.NextActionRequestedBy = actor;
    }
}
