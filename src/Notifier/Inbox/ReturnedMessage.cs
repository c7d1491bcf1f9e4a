using System.Text.RegularExpressions;
using MimeKit;

namespace Notifier.Inbox;

/// <summary>
/// The copy of our message that a bounce or a feedback report returns: a <c>message/rfc822</c> part, a
/// <c>text/rfc822-headers</c> part (RFC 6522 §4), or, in non-standard bounces, the headers quoted in the text. Its
/// Message-ID threads the report to what we sent.
/// </summary>
public static partial class ReturnedMessage
{
    public static (MimeMessage? Message, string? MessageId, string? Subject) Of(MimeMessage message)
    {
        foreach (var part in message.BodyParts)
        {
            if (part is MessagePart { Message: { } m } && !part.ContentType.IsMimeType("message", "delivery-status") && !part.ContentType.IsMimeType("message", "feedback-report"))
                return (m, string.IsNullOrEmpty(m.MessageId) ? null : m.MessageId, m.Subject);
            if (part is TextPart headers && part.ContentType.IsMimeType("text", "rfc822-headers") && Parse(headers.Text) is { } h)
                return (h, string.IsNullOrEmpty(h.MessageId) ? null : h.MessageId, h.Subject);
        }
        var text = MessageText.Of(message);
        var id = MessageIdInText().Match(text);
        var subject = SubjectInText().Match(text);
        return (null, id.Success ? id.Groups[1].Value : null, subject.Success ? subject.Groups[1].Value.Trim() : null);
    }

    private static MimeMessage? Parse(string headers)
    {
        try
        {
            using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(headers.TrimStart() + "\r\n\r\n"));
            return MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\s*>?\s*Message-ID:\s*<([^>\s]+)>", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex MessageIdInText();

    [GeneratedRegex(@"^\s*>?\s*Subject:\s*(.+)$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SubjectInText();
}
