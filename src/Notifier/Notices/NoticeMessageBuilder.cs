using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Notifier.Notices;

/// <summary>
/// Turns a <see cref="NoticeMail"/> into the signed MIME message that is sent (or written to the outbox):
/// text and HTML as <c>multipart/alternative</c> (RFC 2046 §5.1.4), with the attachments beside it in
/// <c>multipart/mixed</c>, the headers DESIGN.md "Notices" asks for, and the DKIM signature over them.
/// The same mail always gives the same headers and body, so a re-run builds the same message.
/// </summary>
public sealed partial class NoticeMessageBuilder(IOptions<NoticesOptions> options, NoticeSigner signer)
{
    private readonly NoticesOptions _options = options.Value;

    public MimeMessage Build(NoticeMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(HeaderText.SingleLine(_options.DeskName), _options.DeskAddress));
        message.ReplyTo.Add(new MailboxAddress(HeaderText.SingleLine(_options.DeskName), _options.DeskReplyAddress));
        message.To.Add(Recipient(mail.To));
        message.Subject = HeaderText.SingleLine(mail.Content.Subject);
        message.Date = mail.Date;
        message.MessageId = MessageId(mail.MessageId, nameof(mail.MessageId));
        if (mail.EarlierMessageIds.Count > 0)
        {
            var earlier = mail.EarlierMessageIds.Select(id => MessageId(id, nameof(mail.EarlierMessageIds))).ToList();
            // RFC 5322 §3.6.4: In-Reply-To names the parent (the latest earlier notice), References the whole thread.
            message.InReplyTo = earlier[^1];
            foreach (var id in earlier) message.References.Add(id);
        }
        var caseReference = HeaderText.SingleLine(mail.CaseReference);
        message.Headers.Add(NoticeHeaders.AutoSubmitted, "auto-generated");
        message.Headers.Add(NoticeHeaders.Case, caseReference);
        AddUnsubscribe(message, caseReference, mail.OneClickUnsubscribeUrl);
        message.Body = Body(mail);
        signer.Sign(message);
        return message;
    }

    private void AddUnsubscribe(MimeMessage message, string caseReference, string? oneClickUrl)
    {
        var mailto = $"<mailto:{_options.OptOutAddress}?subject={Uri.EscapeDataString("unsubscribe " + caseReference)}>";
        if (oneClickUrl is null)
        {
            message.Headers.Add(NoticeHeaders.ListUnsubscribe, mailto);
            return;
        }
        var url = OneClickUrl(oneClickUrl);
        message.Headers.Add(NoticeHeaders.ListUnsubscribe, $"{mailto}, <{url}>");
        // RFC 8058 §3.1: the one-click POST is offered only for an https URL, and §4 only when a DKIM signature
        // covers both headers; an unsigned notice keeps the URL for a person to open, without the header.
        if (signer.Signs) message.Headers.Add(NoticeHeaders.ListUnsubscribePost, "List-Unsubscribe=One-Click");
    }

    private static MimeEntity Body(NoticeMail mail)
    {
        var body = new BodyBuilder { TextBody = mail.Content.Text, HtmlBody = mail.Content.Html };
        foreach (var attachment in mail.Attachments)
        {
            var name = HeaderText.SingleLine(Path.GetFileName(attachment.FileName));
            if (name.Length == 0) throw new ArgumentException($"attachment file name '{attachment.FileName}' is empty once made safe", nameof(mail));
            // BodyBuilder makes a message/rfc822 attachment a MessagePart (the test message as it arrived, RFC 2046 §5.2.1).
            var part = body.Attachments.Add(name, attachment.Content, ContentType.Parse(attachment.MediaType));
            // Base64 keeps the file byte for byte (a transcript's CR LF and overlong lines included), where
            // quoted-printable for text/* would let line endings be canonicalised on the way.
            if (part is MimePart file) file.ContentTransferEncoding = ContentEncoding.Base64;
        }
        var entity = body.ToMessageBody();
        // Boundaries derived from the Message-ID instead of MimeKit's random ones: the same notice built again is
        // the same message (and body hash), so a re-run after a crash sends what the outbox or the log shows.
        var index = 0;
        foreach (var multipart in new[] { entity }.Concat(entity is Multipart m ? m.OfType<Multipart>() : []).OfType<Multipart>())
            multipart.Boundary = Boundary(mail.MessageId, index++);
        return entity;
    }

    private static string Boundary(string messageId, int index) =>
        $"=_notice_{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(messageId)))[..24]}_{index}";

    private static MailboxAddress Recipient(string to)
    {
        if (to.Any(char.IsControl) || !MailboxAddress.TryParse(to, out var address) || address.Address.Length == 0)
            throw new ArgumentException($"'{HeaderText.SingleLine(to)}' is not one mail address", nameof(to));
        return new MailboxAddress(null, address.Address);
    }

    /// <summary>A Message-ID without angle brackets: <c>local@domain</c>, printable ASCII, no white space (RFC 5322 §3.6.4).</summary>
    private static string MessageId(string id, string field)
    {
        if (!MessageIdPattern().IsMatch(id))
            throw new ArgumentException($"{field} '{HeaderText.SingleLine(id)}' is not a Message-ID (local@domain, printable ASCII, no brackets or spaces)", field);
        return id;
    }

    private static string OneClickUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>'))
            throw new ArgumentException($"OneClickUnsubscribeUrl '{HeaderText.SingleLine(value)}' is not an https URL (RFC 8058 §3.1)", nameof(value));
        return uri.AbsoluteUri;
    }

    [GeneratedRegex(@"^[\x21-\x7E-[<>@""\\]]+@[\x21-\x7E-[<>@""\\\[\]]]+$")]
    private static partial Regex MessageIdPattern();
}
