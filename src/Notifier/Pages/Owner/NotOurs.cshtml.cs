using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;/not-ours</c>: "this is not our server". A reason, a confirmation, then the contact is disabled for
/// this case and the case flagged for the desk (<see cref="OwnerActions.NotOursAsync"/>).
/// </summary>
public sealed class NotOursModel(NotifierDb db, OwnerLinks links, OwnerActions actions, TimeProvider time) : OwnerPageModel(db, links, time)
{
    [BindProperty]
    public string? Reason { get; set; }

    public OwnerActionStep Step { get; private set; } = OwnerActionStep.Ask;

    public IntakeError? Error { get; private set; }

    /// <summary>Someone changed the case at the moment of the "yes": nothing was done, the visitor confirms again.</summary>
    public bool Retry { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (await OpenAsync(token, ct) && await actions.IsNotOursAsync(Visit!.Link, ct)) Step = OwnerActionStep.AlreadyDone;
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

    /// <summary>"Yes, mark it".</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string token, CancellationToken ct)
    {
        if (!await OpenAsync(token, ct)) return Page();
        var result = await actions.NotOursAsync(Visit!.Link, Reason, ct);
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
