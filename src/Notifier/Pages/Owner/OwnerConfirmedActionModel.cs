using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Pages.Owner;

/// <summary>
/// The flow of an owner action that cannot be taken back by the visitor ("not our server", "don't contact us
/// again"): a reason, then a confirmation, and only the confirmation changes anything. The pages differ only in
/// what "already done" means and what the "yes" does (<see cref="IsDoneAsync"/>, <see cref="ActAsync"/>).
/// </summary>
public abstract class OwnerConfirmedActionModel(NotifierDb db, OwnerLinks links, TimeProvider time) : OwnerPageModel(db, links, time)
{
    [BindProperty]
    public string? Reason { get; set; }

    public OwnerActionStep Step { get; private set; } = OwnerActionStep.Ask;

    public IntakeError? Error { get; private set; }

    /// <summary>Someone changed the case at the moment of the "yes": nothing was done, the visitor confirms again.</summary>
    public bool Retry { get; private set; }

    /// <summary>Whether the action was taken already for this link's contact and case.</summary>
    protected abstract Task<bool> IsDoneAsync(OwnerLink link, CancellationToken ct);

    /// <summary>The "yes": takes the action with the reason given.</summary>
    protected abstract Task<OwnerActionResult> ActAsync(OwnerLink link, string? reason, CancellationToken ct);

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (await OpenAsync(token, ct) && await IsDoneAsync(Visit!.Link, ct)) Step = OwnerActionStep.AlreadyDone;
        return Page();
    }

    /// <summary>The reason given: checked, and the confirmation asked. Changes nothing.</summary>
    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (!await OpenAsync(token, ct)) return Page();
        var reason = Reason;
        Error = OwnerActions.CheckReason(ref reason);
        Reason = reason;
        Step = Error is null ? OwnerActionStep.Confirm : OwnerActionStep.Ask;
        return Page();
    }

    /// <summary>The confirmation.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string token, CancellationToken ct)
    {
        if (!await OpenAsync(token, ct)) return Page();
        var result = await ActAsync(Visit!.Link, Reason, ct);
        (Step, Error, Retry) = result.Outcome switch
        {
            OwnerActionOutcome.Done => (OwnerActionStep.Done, null, false),
            OwnerActionOutcome.AlreadyDone => (OwnerActionStep.AlreadyDone, null, false),
            OwnerActionOutcome.CaseChanged => (OwnerActionStep.Confirm, null, true),
            _ => (OwnerActionStep.Ask, result.Error, false),
        };
        return Page();
    }
}
