using Microsoft.Extensions.Options;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// Turns a rendered notice and its draft into the <see cref="NoticeMail"/> the message builder signs: the recipient,
/// the deterministic Message-ID, the thread of earlier notices to the same recipient, and the attachments.
/// </summary>
public sealed class NoticeMailFactory(IOptions<NoticesOptions> notices)
{
    /// <summary>The domain of our Message-IDs: the desk's own (the From address's), so replies thread to us.</summary>
    public string Domain => notices.Value.DeskAddress[(notices.Value.DeskAddress.LastIndexOf('@') + 1)..].ToLowerInvariant();

    /// <summary><c>notice-&lt;id&gt;@&lt;domain&gt;</c>: the same notice always gets the same id (RFC 5322 §3.6.4 needs it unique; the row id is).</summary>
    public static string MessageIdFor(long noticeId, string domain) => $"notice-{noticeId}@{domain}";

    public NoticeMail Create(Notice n, NoticeDraft draft, RenderedNotice content, IReadOnlyList<string> earlierMessageIds, string? ownerPageUrl) => new()
    {
        Content = content,
        To = n.Recipient,
        MessageId = n.MessageId ?? MessageIdFor(n.Id, Domain),
        CaseReference = draft.Model.CaseReference,
        Date = draft.Model.WrittenAt,
        EarlierMessageIds = earlierMessageIds,
        OneClickUnsubscribeUrl = ownerPageUrl,
        Attachments = AttachmentsFor(draft),
    };

    /// <summary>
    /// The files attached to the notice. The attachment helpers (transcript .txt, the test message as it arrived
    /// .eml, evidence JSON, CSV of further relays) belong to the Notices library (h-send) and have not landed yet:
    /// until they do, notices go out without attachments; the draft already carries the whole transcript and the
    /// arrived test message for them.
    /// </summary>
    public IReadOnlyList<NoticeAttachment> AttachmentsFor(NoticeDraft draft) => [];
}
