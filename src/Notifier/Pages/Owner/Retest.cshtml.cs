using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;/retest</c>: the owner's "I fixed it — test again now" (POST) and the retest it started, its
/// dialogue live and then the verdict (GET; <c>/r/&lt;token&gt;/retest/&lt;probe id&gt;</c> for one retest of this case).
/// A refused request answers 429 with this page and when the next test is possible; it changes nothing.
/// </summary>
public sealed class RetestModel(NotifierDb db, OwnerLinks links, TimeProvider time, OwnerRetests retests) : OwnerPageModel(db, links, time)
{
    /// <summary>The retest shown; null while none has started since the request (or none was asked for, or the id is not this case's).</summary>
    public Probe? Probe { get; private set; }

    /// <summary>When the owner last asked (null: never).</summary>
    public DateTimeOffset? AskedAt { get; private set; }

    /// <summary>Set when this request was refused by a limit: the next moment one is possible.</summary>
    public DateTimeOffset? RefusedUntil { get; private set; }

    /// <summary>A probe id was asked for that is no retest of this case.</summary>
    public bool UnknownProbe { get; private set; }

    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Something is still to come: a queued request, a retest not finished, or the greylisting retry of one.</summary>
    public bool Waiting => Probe is { } p
        ? !OwnerRetests.IsOver(p) || (p.Status == ProbeStatus.Done && p.RetestOutcome is null && Visit?.Case.State != CaseState.Closed)
        : AskedAt is not null && !UnknownProbe && Visit?.Case.State != CaseState.Closed;

    public async Task<IActionResult> OnGetAsync(string token, int? probeId, CancellationToken ct)
    {
        if (!await OpenAsync(token, ct)) return Page();
        await LoadAsync(probeId, ct);
        if (UnknownProbe) Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (!await OpenAsync(token, ct)) return Page();
        var asked = await retests.AskAsync(Visit!, OwnerRetestClientLimiter.ClientOf(HttpContext), ct);
        switch (asked.Answer)
        {
            case OwnerRetestAnswer.Started:
                return RedirectToPage("/Owner/Retest", new { token });
            case OwnerRetestAnswer.TooSoon:
                RefusedUntil = asked.At;
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var seconds = Math.Max(1, (int)Math.Ceiling((asked.At!.Value - Now).TotalSeconds));
                Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                break;
            default:
                // Closed (or not notified): the page says so and offers no button.
                Response.StatusCode = StatusCodes.Status409Conflict;
                break;
        }
        await LoadAsync(null, ct);
        return Page();
    }

    private async Task LoadAsync(int? probeId, CancellationToken ct)
    {
        AskedAt = await retests.LatestRequestAsync(Visit!, ct);
        Probe = await retests.ProbeAsync(Visit!, probeId, ct);
        UnknownProbe = probeId is not null && Probe is null;
        if (RefusedUntil is { } until) ViewData[OwnerRetestView.RefusedUntilKey] = until;
    }
}
