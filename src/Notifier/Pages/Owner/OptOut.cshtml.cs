using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;/opt-out</c>: "don't contact us again". A reason, a confirmation, then the contact's address is
/// suppressed and the case flagged for the desk (<see cref="OwnerActions.OptOutAsync"/>).
/// </summary>
public sealed class OptOutModel(NotifierDb db, OwnerLinks links, OwnerActions actions, TimeProvider time) : OwnerPageModel(db, links, time)
{
    /// <summary>How the timeline and the suppression say it was asked.</summary>
    public const string How = "on the owner page";

    [BindProperty]
    public string? Reason { get; set; }

    public OwnerActionStep Step { get; private set; } = OwnerActionStep.Ask;

    public IntakeError? Error { get; private set; }

    /// <summary>Someone changed the case at the moment of the "yes": nothing was done, the visitor confirms again.</summary>
    public bool Retry { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (await OpenAsync(token, ct) && await actions.IsOptedOutAsync(Visit!.Link, ct)) Step = OwnerActionStep.AlreadyDone;
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

    /// <summary>"Yes, stop writing to us".</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string token, CancellationToken ct)
    {
        if (!await OpenAsync(token, ct)) return Page();
        var result = await actions.OptOutAsync(Visit!.Link, How, Reason, ct);
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
