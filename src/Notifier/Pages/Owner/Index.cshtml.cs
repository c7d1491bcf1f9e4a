using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;</c>: the page a notice links to. The evidence (<c>_OwnerEvidence</c>), "I fixed it — test
/// again now" (<c>_OwnerRetest</c>), and "not our server" / "don't contact us" / a note to the desk
/// (<c>_OwnerActions</c>), all about this visit's case and contact only.
/// </summary>
public sealed class IndexModel(NotifierDb db, OwnerLinks links, TimeProvider time) : OwnerPageModel(db, links, time)
{
    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        await OpenAsync(token, ct);
        return Page();
    }
}
