using System.ComponentModel.DataAnnotations;

namespace Notifier.Probing;

/// <summary>The <c>Probing</c> configuration section; validated at start.</summary>
public sealed class ProbingOptions
{
    public const string Section = "Probing";

    /// <summary>Our own domain: every test recipient is an address there. Use a domain whose mail you receive.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$",
        ErrorMessage = "Probing:CanaryDomain must be a domain name such as canary.example.org")]
    public string CanaryDomain { get; set; } = "canary.invalid";

    /// <summary>Local part before <c>+token</c> in the canary address.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9._-]{1,20}$", ErrorMessage = "Probing:CanaryLocalPart must be 1-20 letters, digits, '.', '_' or '-'")]
    public string CanaryLocalPart { get; set; } = "relaytest";

    /// <summary>The name we give in EHLO. A real FQDN with a matching PTR identifies us to operators.</summary>
    [Required]
    public string HeloName { get; set; } = "relay-test.notifier.invalid";

    /// <summary>Domain of the plain sender; defaults to the canary domain (<see cref="SenderDomainOrCanary"/>).</summary>
    public string? SenderDomain { get; set; }

    /// <summary>The sender domain in effect: <see cref="SenderDomain"/>, else <see cref="CanaryDomain"/>.</summary>
    public string SenderDomainOrCanary() => SenderDomain ?? CanaryDomain;

    [Required]
    public string SenderLocalPart { get; set; } = "relaytest";

    /// <summary>Who we are, in the test message: the organisation running the probe.</summary>
    [Required]
    public string OperatorName { get; set; } = "Notifier open-relay checker";

    /// <summary>Where an operator can reach a person about the probe.</summary>
    public string? OperatorContact { get; set; }

    /// <summary>A page explaining the probe.</summary>
    public string? InfoUrl { get; set; }

    /// <summary>Labs and tests only: allow loopback, private, link-local and reserved targets.</summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>HMAC key for canary tokens (base64, at least 32 bytes). Empty: read (or create) <see cref="TokenKeyFile"/>.</summary>
    public string? TokenKey { get; set; }

    /// <summary>
    /// File holding the token key, created with a random key at first use; relative paths are under the working
    /// directory. Tokens must verify after a restart, so the service keeps its key here. Empty: a key per process.
    /// </summary>
    public string? TokenKeyFile { get; set; }

    /// <summary>
    /// PEM file of the RSA key test messages are DKIM-signed with (RFC 6376); created with a new key at first use,
    /// and the DNS TXT record to publish is printed and written beside it as <c>&lt;file&gt;.txt</c>. Empty: unsigned.
    /// </summary>
    public string? DkimKeyFile { get; set; }

    /// <summary>The DKIM selector: the record is published at <c>&lt;selector&gt;._domainkey.&lt;domain&gt;</c>.</summary>
    [Required, RegularExpression(@"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", ErrorMessage = "Probing:DkimSelector must be one DNS label")]
    public string DkimSelector { get; set; } = "notifier";

    /// <summary>The signing domain (d=); defaults to the sender domain, else the canary domain.</summary>
    public string? DkimDomain { get; set; }

    /// <summary>How long a test message the relay accepted may take to reach the canary mailbox before the probe counts as accepts-but-drops.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "2.00:00:00")]
    public TimeSpan ConfirmationWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Test messages per probe at most: the first, then one per further accepted variant of another class while none arrives.</summary>
    [Range(1, 3)]
    public int MaxTestMessages { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);

    [Range(512, 10 * 1024 * 1024)]
    public int MaxReplyBytes { get; set; } = 64 * 1024;

    [Range(1, 10_000)]
    public int MaxReplyLines { get; set; } = 200;

    /// <summary>
    /// Refusals after which the probe opens a fresh session: Postfix delays every reply by
    /// smtpd_error_sleep_time (1 s) after smtpd_soft_error_limit (10) errors, and disconnects at 20.
    /// </summary>
    [Range(1, 100)]
    public int MaxErrorsPerSession { get; set; } = 8;

    /// <summary>Reconnects allowed after the server drops the connection mid-probe.</summary>
    [Range(0, 50)]
    public int MaxReconnects { get; set; } = 6;

    /// <summary>
    /// Probes running at once across all targets (per node; per run of <c>probe --file</c>). A probe waits on the
    /// network nearly all the time and holds no thread meanwhile (Cases/ProbeRunner), so this is sized for I/O.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentProbes { get; set; } = 200;

    /// <summary>Dialogues at once per /24 (IPv6 /64): a network is never hit by many probes together.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentPerNetwork { get; set; } = 4;

    /// <summary>
    /// Minimum time between the starts of two probes in one /24 (IPv6 /64): a network's hosts are probed one after
    /// another, never in a burst. Probes that must wait are queued, not refused. Zero: no spacing (labs, where every
    /// target is in 127.0.0.0/24).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MinIntervalPerNetwork { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Minimum time between two probes of the same address and port.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MinIntervalPerTarget { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest a probe waits for its turn on a target before giving up with <see cref="ProbeThrottledException"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxThrottleWait { get; set; } = TimeSpan.FromSeconds(5);
}
