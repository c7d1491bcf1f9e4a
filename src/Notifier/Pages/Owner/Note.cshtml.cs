using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Intake;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;/note</c>: a short note to the abuse desk, stored as a reply on the case (<see cref="OwnerNotes"/>).
/// No confirmation step: a note changes nothing but the timeline, as a mailed reply does.
/// </summary>
public sealed class NoteModel(NotifierDb db, OwnerLinks links, OwnerNotes notes, TimeProvider time) : OwnerPageModel(db, links, time)
{
    [BindProperty]
    public string? Text { get; set; }

    public IntakeError? Error { get; private set; }

    /// <summary>Another note took the same place at the same moment: nothing was stored, the visitor sends again (the text is kept).</summary>
    public bool Retry { get; private set; }

    public bool Sent { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        await OpenAsync(token, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        if (!await OpenAsync(token, ct)) return Page();
        try
        {
            (var note, Error) = await notes.AddAsync(Visit!.Link, Text, ct);
            Sent = note is not null;
        }
        catch (DbUpdateException)
        {
            Retry = true;
        }
        return Page();
    }
}
