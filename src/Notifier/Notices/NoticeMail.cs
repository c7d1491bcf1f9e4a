namespace Notifier.Notices;

/// <summary>
/// One notice ready to become a MIME message: the rendered text plus the headers and attachments the case
/// work decided on. <c>NoticeMessageBuilder</c> turns it into a signed <c>MimeMessage</c>.
/// </summary>
public sealed record NoticeMail
{
    public required RenderedNotice Content { get; init; }

    public required string To { get; init; }

    /// <summary>Deterministic per notice (no angle brackets), so a re-run builds the same message and replies thread on it.</summary>
    public required string MessageId { get; init; }

    /// <summary>The case reference the notice is filed under (<c>NR-000123</c>), also sent as <c>X-Notifier-Case</c>.</summary>
    public required string CaseReference { get; init; }

    public required DateTimeOffset Date { get; init; }

    /// <summary>Message-IDs of earlier notices in this thread, oldest first (<c>In-Reply-To</c>/<c>References</c>).</summary>
    public IReadOnlyList<string> EarlierMessageIds { get; init; } = [];

    /// <summary>The owner page's one-click unsubscribe URL (RFC 8058), when there is an owner page.</summary>
    public string? OneClickUnsubscribeUrl { get; init; }

    public IReadOnlyList<NoticeAttachment> Attachments { get; init; } = [];
}
