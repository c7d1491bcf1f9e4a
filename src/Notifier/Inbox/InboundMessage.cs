namespace Notifier.Inbox;

/// <summary>
/// A message the inbox fetched: the raw bytes (evidence), the headers it was read by, what it was classified as and
/// why. Unique per mailbox folder, UIDVALIDITY and UID; together with Message-ID and hash it makes processing
/// idempotent (a message fetched again after a crash is recognised and only moved).
/// </summary>
public sealed class InboundMessage
{
    public long Id { get; set; }

    public required string Folder { get; set; }

    public long UidValidity { get; set; }

    public long Uid { get; set; }

    public string? MessageId { get; set; }

    /// <summary>SHA-256 of <see cref="Raw"/>, lowercase hex.</summary>
    public required string Sha256 { get; set; }

    public DateTimeOffset FetchedAt { get; set; }

    public DateTimeOffset? Date { get; set; }

    /// <summary>The sender's address, normalised.</summary>
    public string? FromAddress { get; set; }

    public string? From { get; set; }

    public string? To { get; set; }

    public string? Subject { get; set; }

    public string? InReplyTo { get; set; }

    public string? References { get; set; }

    /// <summary>The header block as received.</summary>
    public required string Headers { get; set; }

    public required byte[] Raw { get; set; }

    /// <summary><see cref="InboundClass"/>.</summary>
    public required string Class { get; set; }

    /// <summary>For replies: <see cref="ReplyIntent"/>; an operator may change it.</summary>
    public string? Intent { get; set; }

    /// <summary>
    /// For replies: the intent whose request was held for an operator because it would hurt if the reply were forged
    /// and its sender is not proven (see <see cref="ReplySenderCheck"/>); the detail says what it suggests. Setting
    /// this intent through the API applies it; setting another one drops it. Null when nothing is held.
    /// </summary>
    public string? HeldIntent { get; set; }

    /// <summary>The rule that decided the class (and the intent): shown so a person can check it.</summary>
    public string? Rule { get; set; }

    /// <summary>What the inbox found and did, in words.</summary>
    public string? Detail { get; set; }

    public int? CaseId { get; set; }

    public int? ProbeId { get; set; }

    /// <summary>The canary token the message carried, verified or not.</summary>
    public string? Token { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }

    /// <summary>The folder the message was moved to, once moved.</summary>
    public string? MovedTo { get; set; }
}

/// <summary>Classes of inbound mail, in the order they are tried.</summary>
public static class InboundClass
{
    public const string Canary = "canary";
    public const string ForgedCanary = "forged-canary";
    public const string Bounce = "bounce";
    /// <summary>An abuse feedback report (RFC 5965) about mail we sent.</summary>
    public const string Complaint = "complaint";
    public const string AutoReply = "auto-reply";
    public const string Reply = "reply";
    public const string Unknown = "unknown";
    /// <summary>Cut at <c>Inbox:MaxMessageBytes</c>: stored as evidence, not read as if it were whole.</summary>
    public const string TooLarge = "too-large";

    public static readonly IReadOnlyList<string> All = [Canary, ForgedCanary, Complaint, Bounce, AutoReply, Reply, Unknown, TooLarge];
}
