using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Intake;

namespace Notifier.Pages.Cases;

/// <summary>The case page's desk actions: retest or probe now, a note, assign, close, reopen.</summary>
public sealed partial class DetailsModel
{
    public async Task<IActionResult> OnPostProbeAsync(int id, CancellationToken ct)
    {
        var outcome = await CaseProbeRequests.RequestAsync(db, id, Actor, "requested in the dashboard", false, retests.Value, time, jobs, ct);
        if (outcome is null) return NotFound();
        Message = outcome.Kind switch
        {
            ProbeRequestedDto.Retest when outcome.RunsAt > time.GetUtcNow() =>
                $"A retest runs at {outcome.RunsAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (Retests:MinInterval after the latest one).",
            ProbeRequestedDto.Retest => "A retest is queued; refresh in a few seconds.",
            ProbeRequestedDto.Probe => "A probe is queued; refresh in a few seconds.",
            _ => null,
        };
        return RedirectToPage(new { id });
    }

    /// <param name="closeReason">One of <see cref="CloseReason.ForOperators"/> (the select); <paramref name="reason"/> is the note.</param>
    public async Task<IActionResult> OnPostCloseAsync(int id, string? closeReason, string? reason, CancellationToken ct)
    {
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } error) return await WithErrorAsync(id, error, ct);
        closeReason ??= CloseReason.Other;
        if (!CloseReason.ForOperators.Contains(closeReason, StringComparer.Ordinal))
            return await WithErrorAsync(id, new IntakeError("reason", $"must be one of {string.Join(", ", CloseReason.ForOperators)}"), ct);
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (c.State != CaseState.Closed)
        {
            CaseWorkflow.Close(c, Actor, closeReason, reason ?? "closed in the dashboard", time.GetUtcNow());
            await db.SaveChangesAsync(ct);
            Message = "Case closed.";
        }
        return RedirectToPage(new { id });
    }

    /// <summary>An operator's note on the timeline (<see cref="CaseWorkflow.AddNote"/>): free text, line breaks allowed, shown encoded.</summary>
    public async Task<IActionResult> OnPostNoteAsync(int id, string? text, CancellationToken ct)
    {
        if (FreeText.Check("note", ref text, FreeText.MaxNoteLength, allowLineBreaks: true) is { } error) return await WithErrorAsync(id, error, ct);
        if (text is null) return await WithErrorAsync(id, new IntakeError("note", "is empty: write what the timeline is to say"), ct);
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        CaseWorkflow.AddNote(c, Actor, text, time.GetUtcNow());
        Message = await SavedAsync(c, ct) ? "Note added." : Changed(c);
        return RedirectToPage(new { id });
    }

    /// <summary>What flagged the case was read and dealt with (<see cref="CaseWorkflow.AttentionHandled"/>): off the queue's lists.</summary>
    public async Task<IActionResult> OnPostHandledAsync(int id, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (!CaseWorkflow.AttentionHandled(c, Actor, time.GetUtcNow())) Message = "The case was not flagged for attention.";
        else Message = await SavedAsync(c, ct) ? "Marked as handled." : Changed(c);
        return RedirectToPage(new { id });
    }

    /// <param name="assignee">An enabled operator's or admin's user name; empty: nobody.</param>
    public async Task<IActionResult> OnPostAssignAsync(int id, string? assignee, CancellationToken ct)
    {
        assignee = string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim();
        if (assignee is not null && !await db.Operators.AnyAsync(a => a.UserName == assignee && a.DisabledAt == null
                && (a.Role == OperatorRole.Operator || a.Role == OperatorRole.Admin), ct))
            return await WithErrorAsync(id, new IntakeError("assignee", $"\"{assignee}\" is no enabled operator"), ct);
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (!CaseWorkflow.Assign(c, Actor, assignee, time.GetUtcNow())) Message = assignee is null ? "The case was assigned to nobody already." : $"The case was assigned to {assignee} already.";
        else Message = !await SavedAsync(c, ct) ? Changed(c) : assignee is null ? "The case is assigned to nobody now." : $"Assigned to {assignee}.";
        return RedirectToPage(new { id });
    }

    /// <summary>A closed case opened again with a probe due now (<see cref="CaseReopening"/>), refused while another case of the relay is open.</summary>
    public async Task<IActionResult> OnPostReopenAsync(int id, CancellationToken ct)
    {
        var outcome = await CaseReopening.ReopenAsync(db, id, Actor, "reopened in the dashboard", time.GetUtcNow(), ct);
        if (outcome is null) return NotFound();
        if (outcome.Refusal is { } why) Message = $"Not reopened: {why}.";
        else
        {
            CaseDispatcher.Nudge(jobs);
            Message = "Case reopened: a probe is queued; refresh in a few seconds.";
        }
        return RedirectToPage(new { id });
    }

    /// <summary>Saves a change to <paramref name="c"/>; false when another writer moved the case meanwhile (its <see cref="Case.Version"/>), nothing saved.</summary>
    private async Task<bool> SavedAsync(Case c, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }

    private static string Changed(Case c) => $"{c.Reference} changed meanwhile (a job or another operator): nothing was saved; look at it again and retry.";
}
