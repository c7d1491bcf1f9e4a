using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Microsoft.EntityFrameworkCore;

namespace Notifier.Pages.Cases;

/// <summary>The case page's contact actions: look up again.</summary>
public sealed partial class DetailsModel
{
    public async Task<IActionResult> OnPostLookupAsync(int id, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (c.State != CaseState.Closed)
        {
            var scheduled = CaseWorkflow.RequestContactLookup(c, Actor, time.GetUtcNow(), "requested in the dashboard");
            await db.SaveChangesAsync(ct);
            ContactsApi.Enqueue(jobs, id, scheduled);
            Message = "A contact lookup is queued; refresh in a few seconds.";
        }
        return RedirectToPage(new { id });
    }
}
