namespace Notifier.Cases;

/// <summary>The abuse desk's own work on a case that moves no state: who works it, and what they note.</summary>
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
}
