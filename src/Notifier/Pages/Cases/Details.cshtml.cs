using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Pages.Cases;

/// <summary>One case: its probes with the evidence, its timeline, and the operator's actions (which only change the case and enqueue).</summary>
public sealed class DetailsModel(NotifierDb db, TimeProvider time, IBackgroundJobClient jobs) : PageModel
{
    public Case? Case { get; private set; }
    public IReadOnlyList<ProbeDto> Probes { get; private set; } = [];
    public IReadOnlyList<CaseEvent> Events { get; private set; } = [];
    public IReadOnlyList<SampleDto> Samples { get; private set; } = [];
    public IReadOnlyList<CaseContactDto> Contacts { get; private set; } = [];
    public ContactLookupDto? ContactLookup { get; private set; }
    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var d = await CaseQueries.DetailAsync(db, id, ct);
        if (d is null) return NotFound();
        Case = d.Case;
        Probes = d.Probes;
        // The timeline shows the latest event first.
        Events = d.Events.Reverse().ToList();
        Samples = d.Samples;
        Contacts = d.Contacts;
        ContactLookup = d.ContactLookup;
        return Page();
    }

    public async Task<IActionResult> OnPostProbeAsync(int id, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (c.State != CaseState.Closed)
        {
            CaseWorkflow.RequestProbe(c, Actor, time.GetUtcNow(), "requested in the dashboard");
            await db.SaveChangesAsync(ct);
            jobs.Enqueue<CaseDispatcher>(d => d.RunAsync(CancellationToken.None));
            Message = "A probe is queued; refresh in a few seconds.";
        }
        return RedirectToPage(new { id });
    }

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

    public async Task<IActionResult> OnPostCloseAsync(int id, string? reason, CancellationToken ct)
    {
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } error)
        {
            // Shown on the page with the case, as the new-case form shows its field errors; nothing is changed.
            Error = error.ToString();
            return await OnGetAsync(id, ct);
        }
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (c.State != CaseState.Closed)
        {
            CaseWorkflow.Close(c, Actor, time.GetUtcNow(), reason ?? "closed in the dashboard");
            await db.SaveChangesAsync(ct);
            Message = "Case closed.";
        }
        return RedirectToPage(new { id });
    }

    private string Actor => $"operator:{User.Identity?.Name}";
}
