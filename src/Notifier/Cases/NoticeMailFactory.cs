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

    /// <param name="content">The template's rendering; an operator's edited text replaces its parts (<see cref="EditedNoticeText"/>).</param>
    public NoticeMail Create(Notice n, NoticeDraft draft, RenderedNotice content, IReadOnlyList<string> earlierMessageIds) => new()
    {
        Content = EditedNoticeText.Apply(content, n.EditedText),
        To = n.Recipient,
        MessageId = n.MessageId ?? MessageIdFor(n.Id, Domain),
        CaseReference = draft.Model.CaseReference,
        Date = draft.Model.WrittenAt,
        EarlierMessageIds = earlierMessageIds,
        OneClickUnsubscribeUrl = OneClickUnsubscribeUrl(draft.Model.OwnerPageUrl),
        Attachments = AttachmentsFor(draft),
    };

    /// <summary>
    /// The notice's RFC 8058 one-click URL: its owner page's <c>/unsubscribe</c> (Pages/Owner/OptOutOneClick), so
    /// List-Unsubscribe carries the mailto and this URL and List-Unsubscribe-Post is signed. Only for an https owner
    /// page (RFC 8058 §3.1 requires https; the message builder refuses anything else): with an http base URL, or none,
    /// the notice offers the mailto only.
    /// </summary>
    public static string? OneClickUnsubscribeUrl(string? ownerPageUrl) =>
        ownerPageUrl is not null && Uri.TryCreate(ownerPageUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? ownerPageUrl.TrimEnd('/') + "/unsubscribe"
            : null;

    /// <summary>
    /// The files attached to the notice: per relay the body lists, the whole transcript (the body has an excerpt) and
    /// the test message as it arrived when a canary confirmed the relay; for a follow-up, the whole transcript of the
    /// retest it reports (the original evidence stays attached: the retest sends no test message, the proof is the
    /// first probe's); the machine-readable evidence, one object per relay (all of them); and, when there were more
    /// relays than the body lists, the CSV of the rest.
    /// </summary>
    public IReadOnlyList<NoticeAttachment> AttachmentsFor(NoticeDraft draft)
    {
        var files = new List<NoticeAttachment>();
        foreach (var e in draft.Evidence)
        {
            if (e.Transcript.Count > 0) files.Add(NoticeEvidence.Transcript(e.Relay, Lines(e.Transcript)));
            if (e.TestMessageAsArrived is { } raw) files.Add(NoticeEvidence.ArrivedTestMessage(e.Relay, raw));
        }
        if (draft.Model.LatestRetest is { } retest && draft.RetestTranscript.Count > 0)
            files.Add(NoticeEvidence.RetestTranscript(draft.Model.Relays[0], retest.At, Lines(draft.RetestTranscript)));
        files.Add(NoticeEvidence.EvidenceJson(draft.Model.CaseReference, draft.AllRelays));
        if (draft.FurtherRelays.Count > 0) files.Add(NoticeEvidence.FurtherRelaysCsv(draft.Model.CaseReference, draft.FurtherRelays));
        return files;
    }

    private static string Lines(IReadOnlyList<Notifier.Probing.TranscriptLine> transcript) => string.Join("\n", transcript.Select(l => l.ToString())) + "\n";
}
