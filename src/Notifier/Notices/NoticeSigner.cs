using MimeKit;
using Notifier.Probing;

namespace Notifier.Notices;

/// <summary>
/// DKIM-signs notices by our domain (RFC 6376) with the test message's key handling (Probing's
/// <see cref="TestMessageSigner"/>: PEM file created at first use, DNS record printed). Null signer: unsigned.
/// </summary>
public sealed class NoticeSigner(TestMessageSigner? signer)
{
    /// <summary>
    /// What is signed: what a recipient trusts (From, Subject, Date, the threading ids, Reply-To) and, as RFC 8058
    /// §4 requires for one-click unsubscription, <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post</c>.
    /// </summary>
    private static readonly string[] SignedHeaders =
    [
        "From", "To", "Subject", "Date", "Message-ID", "Reply-To", "In-Reply-To", "References", "MIME-Version",
        "Content-Type", NoticeHeaders.AutoSubmitted, NoticeHeaders.Case, NoticeHeaders.ListUnsubscribe, NoticeHeaders.ListUnsubscribePost,
    ];

    /// <summary>Whether notices are signed (one-click unsubscription is offered only then).</summary>
    public bool Signs => signer is not null;

    /// <summary>The signing domain, when signing.</summary>
    public string? Domain => signer?.Domain;

    /// <summary>The key notices are signed with, when signing (its record is checked by /healthz/ready).</summary>
    public TestMessageSigner? Key => signer;

    /// <summary>The TXT record to publish, when signing.</summary>
    public string? DnsRecord => signer?.DnsRecord;

    public void Sign(MimeMessage message) => signer?.Sign(message, SignedHeaders);
}
