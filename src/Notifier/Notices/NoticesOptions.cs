using System.ComponentModel.DataAnnotations;

namespace Notifier.Notices;

/// <summary>The <c>Notices</c> configuration section: who writes, how notices are signed and where they go. Validated at start.</summary>
public sealed class NoticesOptions
{
    public const string Section = "Notices";

    /// <summary>The desk's name as it signs and in <c>From</c> (e.g. "Example CERT abuse desk").</summary>
    [Required(ErrorMessage = "Notices:DeskName is required (the name notices are signed with)")]
    public string DeskName { get; set; } = "Notifier abuse desk";

    /// <summary>The <c>From</c> address of every notice; its domain is the DKIM signing domain unless <see cref="DkimDomain"/> says otherwise.</summary>
    [Required(ErrorMessage = "Notices:DeskAddress is required (the From address of notices)")]
    public string DeskAddress { get; set; } = "notices@notifier.invalid";

    /// <summary>Where replies go (<c>Reply-To</c>): the abuse desk's mailbox, read by a person and by the inbox reader.</summary>
    [Required(ErrorMessage = "Notices:DeskReplyAddress is required (the Reply-To of notices)")]
    public string DeskReplyAddress { get; set; } = "abuse-desk@notifier.invalid";

    /// <summary>A page about the desk and this service, if any.</summary>
    public string? DeskWebsiteUrl { get; set; }

    /// <summary>How to reach a person other than by replying (phone, ticket page), if any.</summary>
    public string? DeskHumanContact { get; set; }

    /// <summary>Where a recipient writes to get no further mail from us: the <c>List-Unsubscribe</c> mailto (RFC 2369).</summary>
    [Required(ErrorMessage = "Notices:OptOutAddress is required (the List-Unsubscribe mailto of notices)")]
    public string OptOutAddress { get; set; } = "opt-out@notifier.invalid";

    /// <summary>
    /// The outbox used when no smarthost is configured: one <c>.eml</c> per notice. Relative paths are under the
    /// working directory, like the SQLite database's <c>data/notifier.db</c>, so the default sits beside it.
    /// </summary>
    [Required(ErrorMessage = "Notices:OutboxDirectory is required")]
    public string OutboxDirectory { get; set; } = "data/outbox";

    /// <summary>
    /// PEM file of the RSA key notices are DKIM-signed with, handled like <c>Probing:DkimKeyFile</c> (created at first
    /// use, the DNS record to publish printed and written beside it). Empty: notices go out unsigned, and without the
    /// RFC 8058 one-click header, which needs a signature over it.
    /// </summary>
    public string? DkimKeyFile { get; set; }

    /// <summary>The DKIM selector: the record is published at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", ErrorMessage = "Notices:DkimSelector must be one DNS label")]
    public string DkimSelector { get; set; } = "notifier";

    /// <summary>The signing domain (d=); defaults to the domain of <see cref="DeskAddress"/>, so that DMARC aligns.</summary>
    public string? DkimDomain { get; set; }

    /// <summary>The smarthost notices are handed to; with no <see cref="SmarthostOptions.Host"/>, notices go to the outbox.</summary>
    public SmarthostOptions Smarthost { get; set; } = new();

    /// <summary>The DKIM signing domain in effect.</summary>
    public string DkimDomainOrDesk() => DkimDomain ?? DeskAddress[(DeskAddress.LastIndexOf('@') + 1)..];

    /// <summary>The desk as templates see it.</summary>
    public NoticeDesk Desk() => new()
    {
        Name = DeskName,
        ReplyAddress = DeskReplyAddress,
        WebsiteUrl = DeskWebsiteUrl,
        HumanContact = DeskHumanContact,
    };
}
