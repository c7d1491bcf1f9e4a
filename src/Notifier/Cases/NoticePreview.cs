using Microsoft.EntityFrameworkCore;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// Renders any template for any case and contact without sending or storing anything (API and CLI): what the
/// recipient would read. No owner link is made for a preview, so the preview shows none.
/// </summary>
public sealed class NoticePreview(NotifierDb db, NoticeModelFactory models, NoticeMailFactory mails, NoticeRenderer renderer, TimeProvider time)
{
    /// <summary>
    /// A planned or sent notice as its job builds it now (same model, renderer and attachments, in its language),
    /// without the owner link, which only the send makes, and with an operator's edited text as its message carries it
    /// (<see cref="EditedNoticeText"/>). For the case page.
    /// </summary>
    public async Task<(RenderedNotice Content, IReadOnlyList<NoticeAttachment> Attachments)> RenderAsync(NoticeDto notice, CancellationToken ct)
    {
        var draft = await models.BuildAsync(notice.CaseId, notice.Recipient, Enum.Parse<NoticeKind>(notice.Kind), notice.Language, null, time.GetUtcNow(), ct);
        return (EditedNoticeText.Apply(await renderer.RenderAsync(draft.Model, ct), notice.EditedText), mails.AttachmentsFor(draft));
    }

    /// <param name="contact">
    /// An address on the case's contact list; null: whoever that kind goes to as far as the case knows: the recipient
    /// of its latest notice of this kind, else (a follow-up to the direct contacts) the address told last, else the
    /// rank-1 active contact (or the first ranked).
    /// </param>
    public async Task<(NoticePreviewDto? Preview, string? Error)> RenderAsync(int caseId, NoticeKind kind, string? language, string? contact, CancellationToken ct)
    {
        var contacts = await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == caseId).OrderBy(x => x.Rank == null).ThenBy(x => x.Rank).ToListAsync(ct);
        string recipient;
        var notes = new List<string>();
        if (contact is not null)
        {
            var normalized = ContactAddress.Normalize(contact);
            var row = contacts.FirstOrDefault(x => x.Address == normalized);
            if (row is null)
                return (null, contacts.Count == 0 ? "the case has no contacts yet (look them up first)" : $"not a contact of the case; its contacts: {string.Join(", ", contacts.Select(x => x.Address))}");
            recipient = row.Address;
        }
        else
        {
            var ofKind = await db.Notices.AsNoTracking().Where(n => n.CaseId == caseId && n.Kind == kind.ToString())
                .OrderByDescending(n => n.Id).Select(n => n.Recipient).FirstOrDefaultAsync(ct);
            var toldLast = kind is NoticeKind.FirstNotice or NoticeKind.Escalation ? null : await db.Notices.AsNoTracking()
                .Where(n => n.CaseId == caseId && (n.State == NoticeState.Sent || n.State == NoticeState.Carried) && n.Kind != nameof(NoticeKind.Escalation))
                .OrderByDescending(n => n.SentAt).Select(n => n.Recipient).FirstOrDefaultAsync(ct);
            var active = ContactText.Of(ContactStatus.Active);
            var row = contacts.FirstOrDefault(x => x.Rank != null && x.Status == active) ?? contacts.FirstOrDefault();
            if ((ofKind ?? toldLast ?? row?.Address) is not { } chosen) return (null, "the case has no contacts yet (look them up first)");
            recipient = chosen;
            if (kind == NoticeKind.Escalation && ofKind is null)
                notes.Add($"No escalation was planned for this case yet: previewed for {recipient}; give contact= the upstream network's address to see what it would read.");
        }
        var draft = await models.BuildAsync(caseId, recipient, kind, language, null, time.GetUtcNow(), ct);
        var rendered = await renderer.RenderAsync(draft.Model, ct);
        var attachments = mails.AttachmentsFor(draft).Select(a => $"{a.FileName} ({a.MediaType}, {a.Content.Length} bytes)").ToList();
        notes.AddRange(NotesFor(draft.Model));
        return (new NoticePreviewDto(kind.ToString(), draft.Model.Language, recipient, rendered.Subject, rendered.Text, rendered.Html, attachments, notes), null);
    }

    /// <summary>
    /// Where the case lacks the facts the kind reports, so the operator does not read a preview as the case's story: the
    /// template then says less (it never makes a fact up), and the notice itself would only be planned once they exist.
    /// </summary>
    public static IReadOnlyList<string> NotesFor(NoticeModel model)
    {
        var notes = new List<string>();
        var kind = model.Kind;
        if (kind is NoticeKind.Reminder or NoticeKind.StillOpen or NoticeKind.Resolved && model.EarlierNoticesAt.Count == 0)
            notes.Add($"{model.Recipient.Address} was not notified about {model.CaseReference} yet: the notice cites no earlier notice.");
        if (kind == NoticeKind.Escalation && model.Escalation is { NoticesSent: 0 })
            notes.Add($"Nobody was notified about {model.CaseReference} yet: the escalation names no earlier notices.");
        if (kind == NoticeKind.Escalation && model.Escalation is { Network: null })
            notes.Add($"The provenance of {model.Recipient.Address} names no RDAP network: the escalation does not name the upstream network.");
        if (kind == NoticeKind.Resolved && model.LatestRetest is null)
            notes.Add("No retest has found the relay closed (none yet, or a later one found it open): the thank-you is shown without a retest; it is sent only once a retest finds the relay closed.");
        if (kind is NoticeKind.StillOpen or NoticeKind.Escalation or NoticeKind.Reminder && model.LatestRetest is null)
            notes.Add("No retest has found the relay open yet: the notice reports the first probe's observation only.");
        return notes;
    }
}
