using MimeKit;

namespace Notifier.Notices;

/// <summary>
/// Hands a finished notice on: to the configured smarthost (MailKit) or, with none configured, to the outbox
/// directory as an .eml file. One recipient per call, so a refusal is that contact's alone.
/// </summary>
public interface INoticeSender
{
    /// <summary><c>smarthost</c> or <c>outbox</c>: recorded with the notice.</summary>
    string Name { get; }

    /// <param name="message">The signed message.</param>
    /// <param name="returnPath">The envelope sender (a VERP address, so a later DSN names the notice).</param>
    /// <param name="recipient">The one envelope recipient.</param>
    Task<NoticeDelivery> SendAsync(MimeMessage message, string returnPath, string recipient, CancellationToken cancellationToken);
}
