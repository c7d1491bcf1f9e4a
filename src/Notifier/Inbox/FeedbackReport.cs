using MimeKit;

namespace Notifier.Inbox;

/// <summary>
/// An abuse feedback report (ARF, RFC 5965: <c>multipart/report; report-type=feedback-report</c> with a
/// <c>message/feedback-report</c> part): a mailbox provider telling us a recipient marked our mail as spam. It is a
/// complaint, not a bounce (the address works) and not a reply (no person wrote it).
/// </summary>
public sealed record FeedbackReport(string FeedbackType, string? OriginalRecipient, string? OriginalMessageId, string? OriginalSubject, string? UserAgent)
{
    public static FeedbackReport? Read(MimeMessage message)
    {
        var isArf = message.Body is MultipartReport { ReportType: { } type } && type.Equals("feedback-report", StringComparison.OrdinalIgnoreCase);
        var part = message.BodyParts.FirstOrDefault(p => p.ContentType.IsMimeType("message", "feedback-report"));
        if (!isArf && part is null) return null;
        var fields = part is null ? new HeaderList() : FieldsOf(part);
        var (original, id, subject) = ReturnedMessage.Of(message);
        var recipient = fields["Original-Rcpt-To"]?.Trim().Trim('<', '>');
        if (string.IsNullOrEmpty(recipient) && original?.To.Mailboxes.FirstOrDefault() is { } to) recipient = to.Address;
        return new FeedbackReport((fields["Feedback-Type"] ?? "abuse").Trim().ToLowerInvariant(), string.IsNullOrEmpty(recipient) ? null : recipient,
            id, subject, fields["User-Agent"]?.Trim());
    }

    /// <summary>The report's fields are a header block (RFC 5965 §3.1); a broken one yields what parsed.</summary>
    private static HeaderList FieldsOf(MimeEntity part)
    {
        using var stream = new MemoryStream();
        switch (part)
        {
            case MimePart mime when mime.Content is not null:
                mime.Content.DecodeTo(stream);
                break;
            case MessagePart { Message: { } m }:
                return m.Headers;
            default:
                return new HeaderList();
        }
        stream.Position = 0;
        try
        {
            return HeaderList.Load(stream);
        }
        catch (FormatException)
        {
            return new HeaderList();
        }
    }
}
