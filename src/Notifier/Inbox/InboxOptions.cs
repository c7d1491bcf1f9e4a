using System.ComponentModel.DataAnnotations;

namespace Notifier.Inbox;

/// <summary>
/// The <c>Inbox</c> section: the IMAP mailbox the canary domain and replies to our notices are delivered to. With no
/// host the inbox is off. Which Received headers are ours is <c>Intake:TrustedReceivers</c> (one list for the spam
/// samples and the inbox); which Authentication-Results headers are ours is <see cref="TrustedReceivers"/>.
/// </summary>
public sealed class InboxOptions : IValidatableObject
{
    public const string Section = "Inbox";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 993;

    /// <summary><c>SslOnConnect</c> (IMAPS, 993), <c>StartTls</c> (required), <c>StartTlsWhenAvailable</c>, <c>None</c> (labs only), <c>Auto</c>.</summary>
    public InboxTls Tls { get; set; } = InboxTls.SslOnConnect;

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>The folder new mail is read from.</summary>
    [Required]
    public string Folder { get; set; } = "INBOX";

    /// <summary>Where processed mail is moved (created when missing).</summary>
    [Required]
    public string ProcessedFolder { get; set; } = "Notifier/Processed";

    /// <summary>Where mail no rule recognised is moved, for an operator (created when missing).</summary>
    [Required]
    public string UnknownFolder { get; set; } = "Notifier/Unknown";

    /// <summary>How often the mailbox is read: whole seconds below a minute, else whole minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Messages read per poll at most; the rest wait for the next one.</summary>
    [Range(1, 10_000)]
    public int MaxMessagesPerPoll { get; set; } = 200;

    /// <summary>The largest message stored whole; a larger one is stored truncated and classified by its headers.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>A canary token older than this is refused (replays of old test messages).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan CanaryMaxAge { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The authserv-ids (RFC 8601 section 2.5, normally the receiving MX's host name) whose Authentication-Results
    /// headers are believed: only what our own receivers wrote. Anybody can write such a header into a message, so
    /// every other one is ignored. Empty (the default): nothing is trusted, and every reply action that would hurt
    /// if forged (an opt-out that suppresses the sender) waits for an operator.
    /// </summary>
    public List<string> TrustedReceivers { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    /// <summary>The Hangfire cron for <see cref="PollInterval"/>.</summary>
    public string Cron() => PollInterval < TimeSpan.FromMinutes(1)
        ? $"*/{Math.Max(1, (int)PollInterval.TotalSeconds)} * * * * *"
        : $"*/{Math.Min(59, Math.Max(1, (int)PollInterval.TotalMinutes))} * * * *";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var id in TrustedReceivers)
        {
            // An authserv-id is a domain name in practice (RFC 8601 section 2.5 says it SHOULD be); no pattern, since
            // trusting "*.example.org" would trust whatever host a sender names.
            if (id is null || id.Contains('*', StringComparison.Ordinal) || !Intake.TrustedReceivers.TryParseName(id, out _))
                yield return new ValidationResult($"Inbox:TrustedReceivers: \"{id}\" is not an authserv-id (the host name our receiving MTA writes into Authentication-Results, such as mx1.example.org)", [nameof(TrustedReceivers)]);
        }
        if (!Enabled) yield break;
        if (string.IsNullOrWhiteSpace(User) || Password is null)
            yield return new ValidationResult("Inbox:User and Inbox:Password are required when Inbox:Host is set", [nameof(User), nameof(Password)]);
        if (string.Equals(ProcessedFolder, Folder, StringComparison.OrdinalIgnoreCase) || string.Equals(UnknownFolder, Folder, StringComparison.OrdinalIgnoreCase))
            yield return new ValidationResult("Inbox:ProcessedFolder and Inbox:UnknownFolder must differ from Inbox:Folder", [nameof(ProcessedFolder)]);
    }
}

public enum InboxTls
{
    SslOnConnect,
    StartTls,
    StartTlsWhenAvailable,
    None,
    Auto,
}
