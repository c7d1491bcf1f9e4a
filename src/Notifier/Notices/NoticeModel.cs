namespace Notifier.Notices;

/// <summary>
/// Everything a notice template may say, as plain values: templates take this record only, never services or
/// entities (DESIGN.md "Notices"), so a template can be previewed for any case without a database and a
/// non-C# editor sees every fact it can use in one place. Times are UTC.
/// </summary>
public sealed record NoticeModel
{
    public required NoticeKind Kind { get; init; }

    /// <summary>Two-letter language code the notice is written in (<c>en</c>, <c>de</c>).</summary>
    public required string Language { get; init; }

    public required NoticeDesk Desk { get; init; }

    public required NoticeRecipient Recipient { get; init; }

    /// <summary>The case reference the notice is filed under (<c>NR-000123</c>): the first relay's case.</summary>
    public required string CaseReference { get; init; }

    /// <summary>The relays this notice reports, at least one; several when one contact runs several (batching).</summary>
    public required IReadOnlyList<NoticeRelay> Relays { get; init; }

    /// <summary>Relays beyond the body's cap, listed only in the CSV attachment.</summary>
    public int RelaysOnlyInAttachment { get; init; }

    /// <summary>When this notice is written.</summary>
    public required DateTimeOffset WrittenAt { get; init; }

    /// <summary>The owner's self-service page for this case and contact (<c>https://…/r/&lt;token&gt;</c>); null when none is configured.</summary>
    public string? OwnerPageUrl { get; init; }

    /// <summary>When the owner page link stops working.</summary>
    public DateTimeOffset? OwnerPageExpiresAt { get; init; }

    /// <summary>Where to write to stop all further mail from us (the <c>List-Unsubscribe</c> mailto).</summary>
    public required string OptOutAddress { get; init; }

    /// <summary>Earlier notices about these relays to this recipient, oldest first (reminders and follow-ups cite them).</summary>
    public IReadOnlyList<DateTimeOffset> EarlierNoticesAt { get; init; } = [];

    /// <summary>
    /// The retest the notice reports: for StillOpen, Escalation and Reminder the latest that found the relay open, for
    /// Resolved the one that found it closed; null for a first notice and before any such retest.
    /// </summary>
    public NoticeRetest? LatestRetest { get; init; }

    /// <summary>When the next retest is planned (the case's schedule), if one is; a Resolved notice's is the one recheck.</summary>
    public DateTimeOffset? NextRetestAt { get; init; }

    /// <summary>
    /// Recidivism: when a retest had found the relay closed before it was found open again; null unless the case was
    /// reopened (follow-ups about the open relay only, never the Resolved thank-you).
    /// </summary>
    public DateTimeOffset? PreviouslyResolvedAt { get; init; }

    /// <summary>Why this goes upstream (Escalation only).</summary>
    public NoticeEscalation? Escalation { get; init; }
}
