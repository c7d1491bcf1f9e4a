using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;

namespace Notifier.Pages;

/// <summary>
/// One inbound message: its header block and its text as plain text (an HTML-only message is converted to text, never
/// rendered: mail from strangers must not put markup or tracking pixels into the dashboard), the raw .eml, and filing
/// it onto a case through <see cref="InboxFiling"/> as <c>PUT /api/inbox/messages/{id}/case</c> does.
/// </summary>
public sealed class InboxMessageModel(NotifierDb db, InboxFiling filing) : PageModel
{
    public InboundMessage? Mail { get; private set; }

    /// <summary>The message's text as the inbox reads it (<see cref="MessageText.Of"/>), or why it could not be read.</summary>
    public string Text { get; private set; } = "";

    /// <summary>The case reference (<c>NR-000123</c>) or id typed into the filing form.</summary>
    [BindProperty] public string? Case { get; set; }
    public string? Error { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        Mail = await db.InboundMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct);
        if (Mail is null) return NotFound();
        try
        {
            using var stream = new MemoryStream(Mail.Raw, writable: false);
            Text = MessageText.Of(await MimeMessage.LoadAsync(stream, ct));
        }
        catch (FormatException e)
        {
            Text = $"(the message cannot be parsed: {e.Message}; download the .eml to look at it)";
        }
        return Page();
    }

    /// <summary>The message as received, to open in a mail program (a download: the browser never renders it).</summary>
    public async Task<IActionResult> OnGetRawAsync(long id, CancellationToken ct)
    {
        var raw = await db.InboundMessages.AsNoTracking().Where(m => m.Id == id).Select(m => m.Raw).SingleOrDefaultAsync(ct);
        return raw is null ? NotFound() : File(raw, "message/rfc822", $"inbound-{id}.eml");
    }

    public async Task<IActionResult> OnPostFileAsync(long id, CancellationToken ct)
    {
        if (CaseReference.Parse(Case) is not { } caseId)
        {
            Error = "case: give the case reference (NR-000123) or its id.";
            return await OnGetAsync(id, ct);
        }
        var outcome = await filing.FileAsync(id, caseId, DeskUser.Actor(User), ct);
        if (outcome.Problem == InboxFiling.Problem.MessageNotFound) return NotFound();
        if (!outcome.Filed)
        {
            Error = outcome.Error;
            db.ChangeTracker.Clear();
            return await OnGetAsync(id, ct);
        }
        Message = $"Filed onto {outcome.Case!.Reference} as {outcome.Message!.Class}" + (outcome.Message.Intent is { } intent ? $" (intent {intent})" : "") + ".";
        return RedirectToPage(new { id });
    }
}
