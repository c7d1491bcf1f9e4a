using MailKit.Net.Smtp;
using MimeKit;

namespace Notifier.Notices;

/// <summary>
/// MailKit's <see cref="SmtpClient"/> that remembers whether the smarthost accepted the envelope recipient
/// (<c>RCPT TO</c> answered 2xx). From then on DATA and the message itself may be on the wire, and a smarthost that
/// received the final "." may have queued the message even when its 250 never reaches us (RFC 1047, "Duplicate
/// messages and SMTP"): a connection that drops or times out after this point is no proof that nothing was sent.
/// One client per notice (<see cref="SmarthostSender"/>), so the flag speaks of that notice's one recipient.
/// </summary>
public sealed class NoticeSmtpClient : SmtpClient
{
    /// <summary>The smarthost answered <c>RCPT TO</c> with 2xx: the message may have been handed over.</summary>
    public bool RecipientAccepted { get; private set; }

    protected override void OnRecipientAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        RecipientAccepted = true;
        base.OnRecipientAccepted(message, mailbox, response);
    }
}
