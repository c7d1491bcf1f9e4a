using System.ComponentModel.DataAnnotations;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>The <c>Cases</c> section: how cases are probed and retried.</summary>
public sealed class CasesOptions
{
    public const string Section = "Cases";

    /// <summary>
    /// <c>quick</c> (stop at the first accepted recipient) or <c>full</c> (every variant); the binder reads the names in
    /// any case. Not <c>rcpt-only</c>: an initial probe proves relaying with a test message, rcpt-only is for retests.
    /// </summary>
    [AllowedValues(ProbeMode.Quick, ProbeMode.Full,
        ErrorMessage = "Cases:ProbeMode must be quick or full (rcpt-only sends no test message, so it is for retests, not the initial probe)")]
    public ProbeMode ProbeMode { get; set; } = ProbeMode.Quick;

    /// <summary>Probes of a case that end unreachable, temp-refused, incomplete or in a protocol error before it is given up.</summary>
    [Range(1, 100)]
    public int MaxProbeAttempts { get; set; } = 6;

    /// <summary>The first retry waits this long; each further one twice as long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// After a temp-refused probe, the wait before it is retried with the same envelope when the server did not say
    /// how long to wait. Greylisting (a 450 to every new client/sender/recipient triple, e.g. postgrey's default of
    /// 300 s) accepts the same triple after a few minutes; a new token would make a new triple every time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GreylistRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Same-envelope retries of a temp-refused probe; after them the usual backoff with a fresh probe. Each counts against <see cref="MaxProbeAttempts"/>.</summary>
    [Range(0, 10)]
    public int MaxGreylistRetries { get; set; } = 3;

    /// <summary>
    /// Due cases the dispatcher loads and works through at a time. It pages through everything due in one run (a
    /// backlog drains as fast as the workers go, not at a fixed number a minute); the page bounds its memory and the
    /// change tracker, which is cleared after each page.
    /// </summary>
    [Range(1, 10_000)]
    public int DispatchPageSize { get; set; } = 500;
}
