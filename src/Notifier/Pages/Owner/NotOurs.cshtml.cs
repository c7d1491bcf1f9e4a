using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;/not-ours</c>: "this is not our server". A reason, a confirmation ("Yes, mark it"), then the
/// contact is disabled for this case and the case flagged for the desk (<see cref="OwnerActions.NotOursAsync"/>).
/// </summary>
public sealed class NotOursModel(NotifierDb db, OwnerLinks links, OwnerActions actions, TimeProvider time) : OwnerConfirmedActionModel(db, links, time)
{
    protected override Task<bool> IsDoneAsync(OwnerLink link, CancellationToken ct) => actions.IsNotOursAsync(link, ct);

    protected override Task<OwnerActionResult> ActAsync(OwnerLink link, string? reason, CancellationToken ct) => actions.NotOursAsync(link, reason, ct);
}
