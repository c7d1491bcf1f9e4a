namespace Notifier.Probing;

public enum TlsMode
{
    /// <summary>STARTTLS when offered or when the server demands it with 530 (RFC 3207).</summary>
    StartTlsWhenOffered,

    /// <summary>TLS from the first byte (RFC 8314 submissions port 465).</summary>
    Implicit,

    /// <summary>Never negotiate TLS.</summary>
    None,
}

/// <summary>What to probe and how. Unset values come from <see cref="ProbingOptions"/>.</summary>
public sealed record ProbeRequest
{
    /// <summary>An IPv4/IPv6 address, a host name (A/AAAA), or <c>mx:domain</c> (its best MX).</summary>
    public required string Host { get; init; }

    public int Port { get; init; } = 25;

    public ProbeMode Mode { get; init; } = ProbeMode.Quick;

    /// <summary>
    /// Only these relay-test variants (<see cref="RelayVariant.Name"/>), tried in the engine's order whatever the
    /// order here; null: every variant. A retest asks for the variants that relayed before. The names are checked
    /// against the variants built for this target (some depend on its host name): an unknown one refuses the probe.
    /// </summary>
    public IReadOnlyList<string>? Variants { get; init; }

    public TlsMode Tls { get; init; } = TlsMode.StartTlsWhenOffered;

    /// <summary>16-char key of the stored probe this run belongs to; a new one when null.</summary>
    public string? ProbeKey { get; init; }

    /// <summary>
    /// The canary token to present again (null: a new one, issued now). It fixes every sender and recipient: a retry
    /// of a greylisted probe must present the same triple, so it passes the token of the attempt it retries (made for
    /// <see cref="ProbeKey"/> and this target with our key, or the probe is refused).
    /// </summary>
    public string? Token { get; init; }

    /// <summary>
    /// Called once the throttle has given the probe its turn, right before the dialogue starts; an exception from it
    /// gives the turn back and ends the probe. Lets a caller hold a job lease only for the dialogue, not the wait.
    /// </summary>
    public Func<CancellationToken, Task>? TurnTaken { get; init; }

    /// <summary>
    /// Called with every transcript line as the dialogue writes it, on the dialogue's own flow: it must return at once
    /// (buffer the line; never block or do I/O in it). Lets a caller show the dialogue live (the owner page's retest).
    /// </summary>
    public Action<TranscriptLine>? LineWritten { get; init; }

    public bool? AllowPrivateTargets { get; init; }

    public string? CanaryDomain { get; init; }

    public string? HeloName { get; init; }

    public string? SenderDomain { get; init; }

    /// <summary>
    /// The envelope sender of the variants whose sender is ours (<c>plain</c>, <c>percent-hack</c>): an address in the
    /// sender domain, normally a <see cref="VerpAddress"/> so a bounce is tied to this message. Null:
    /// <c>SenderLocalPart@SenderDomain</c>. The From: header keeps <c>SenderLocalPart@SenderDomain</c> either way.
    /// </summary>
    public string? ReturnPath { get; init; }

    /// <summary>Overrides connect and per-reply timeouts.</summary>
    public TimeSpan? Timeout { get; init; }
}
