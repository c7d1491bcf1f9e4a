using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;/opt-out</c>: "don't contact us again". A reason, a confirmation ("Yes, stop writing to us"),
/// then the contact's address is suppressed and the case flagged for the desk (<see cref="OwnerActions.OptOutAsync"/>).
/// </summary>
public sealed class OptOutModel(NotifierDb db, OwnerLinks links, OwnerActions actions, TimeProvider time) : OwnerConfirmedActionModel(db, links, time)
{
    /// <summary>How the timeline and the suppression say it was asked.</summary>
    public const string How = "on the owner page";

    protected override Task<bool> IsDoneAsync(OwnerLink link, CancellationToken ct) => actions.IsOptedOutAsync(link, ct);

    protected override Task<OwnerActionResult> ActAsync(OwnerLink link, string? reason, CancellationToken ct) => actions.OptOutAsync(link, How, reason, ct);
}
