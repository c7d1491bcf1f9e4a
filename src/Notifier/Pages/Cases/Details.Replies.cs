using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Inbox;

namespace Notifier.Pages.Cases;

/// <summary>The case page's reply action: change a reply's intent, or apply the one the inbox held (<see cref="ReplyIntentChange"/>, as PUT /api/inbox/messages/{id}/intent).</summary>
public sealed partial class DetailsModel
{
    public async Task<IActionResult> OnPostReplyIntentAsync(int id, long reply, string? intent, CancellationToken ct)
    {
        // The reply posted with a case id must be that case's (the redirect goes back to the case).
        if (!await db.InboundMessages.AnyAsync(m => m.Id == reply && m.CaseId == id, ct)) return NotFound();
        var now = time.GetUtcNow();
        var outcome = await intents.SetAsync(reply, intent, Actor, now, ct);
        Message = outcome.Result switch
        {
            ReplyIntentResult.Changed => outcome.Detail + ".",
            ReplyIntentResult.Unchanged => $"Reply {reply} already has the intent {intent}.",
            ReplyIntentResult.InvalidIntent => $"Reply {reply} unchanged: the intent is {outcome.Detail}.",
            _ => $"Reply {reply} unchanged: {outcome.Detail}.",
        };
        // "fixed" made a retest due now: start it in seconds rather than at the dispatcher's next tick.
        if (outcome.Case?.NextActionAt <= now) CaseDispatcher.Nudge(jobs);
        return RedirectToPage(new { id });
    }
}
