using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;/retest/progress[?probe=id]</c>: what owner-retest.js polls while a retest runs: the retest
/// (the given one of this case, else the latest since the owner's request), its state and its lines so far. JSON;
/// a link that is not live answers 404 or 410, a probe that is no retest of this case 404.
/// </summary>
public sealed class RetestProgressModel(NotifierDb db, OwnerLinks links, TimeProvider time, OwnerRetests retests) : OwnerPageModel(db, links, time)
{
    public async Task<IActionResult> OnGetAsync(string token, int? probe, CancellationToken ct)
    {
        if (!await OpenAsync(token, ct)) return StatusCode(Response.StatusCode, new { error = "this link does not open a case" });
        var p = await retests.ProbeAsync(Visit!, probe, ct);
        if (probe is not null && p is null) return NotFound(new { error = "no such retest of this case" });
        if (p is null)
        {
            var asked = await retests.LatestRequestAsync(Visit!, ct);
            return new JsonResult(new RetestProgressDto(null, asked is null ? "none" : ProbeStatus.Queued, false, []));
        }
        var lines = ProbeLiveTranscript.Shown(p).Select(l => new RetestLineDto(l.At, l.Dir, l.Line)).ToList();
        return new JsonResult(new RetestProgressDto(p.Id, p.Status, OwnerRetests.IsOver(p), lines));
    }
}

/// <param name="Status"><c>none</c> (nobody asked), <c>queued</c>, <c>running</c>, <c>done</c> or <c>skipped</c>.</param>
/// <param name="Over">Nothing more will happen to this retest (the page reloads for its verdict).</param>
public sealed record RetestProgressDto(int? Probe, string Status, bool Over, IReadOnlyList<RetestLineDto> Lines);

public sealed record RetestLineDto(DateTimeOffset At, string Dir, string Line);
