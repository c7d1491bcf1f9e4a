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
    /// without the owner link, which only the send makes. For the case page.
    /// </summary>
    public async Task<(RenderedNotice Content, IReadOnlyList<NoticeAttachment> Attachments)> RenderAsync(NoticeDto notice, CancellationToken ct)
    {
        var draft = await models.BuildAsync(notice.CaseId, notice.Recipient, Enum.Parse<NoticeKind>(notice.Kind), notice.Language, null, time.GetUtcNow(), ct);
        return (await renderer.RenderAsync(draft.Model, ct), mails.AttachmentsFor(draft));
    }

    /// <param name="contact">An address on the case's contact list; null: the rank-1 active contact (or the first ranked).</param>
    public async Task<(NoticePreviewDto? Preview, string? Error)> RenderAsync(int caseId, NoticeKind kind, string? language, string? contact, CancellationToken ct)
    {
        var contacts = await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == caseId).OrderBy(x => x.Rank == null).ThenBy(x => x.Rank).ToListAsync(ct);
        string recipient;
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
            var active = ContactText.Of(ContactStatus.Active);
            var row = contacts.FirstOrDefault(x => x.Rank != null && x.Status == active) ?? contacts.FirstOrDefault();
            if (row is null) return (null, "the case has no contacts yet (look them up first)");
            recipient = row.Address;
        }
        var draft = await models.BuildAsync(caseId, recipient, kind, language, null, time.GetUtcNow(), ct);
        var rendered = await renderer.RenderAsync(draft.Model, ct);
        var attachments = mails.AttachmentsFor(draft).Select(a => $"{a.FileName} ({a.MediaType}, {a.Content.Length} bytes)").ToList();
        return (new NoticePreviewDto(kind.ToString(), draft.Model.Language, recipient, rendered.Subject, rendered.Text, rendered.Html, attachments), null);
    }
}
