namespace Notifier.Probing;

/// <summary>
/// A further test message for a probe whose first canary did not arrive: one named variant of the earlier probe,
/// tried again on its own and, when the recipient is accepted, given DATA with a new token.
/// </summary>
public sealed record TestMessageRequest
{
    /// <summary>The probed address (as in <see cref="ProbeResult.Address"/>).</summary>
    public required string Address { get; init; }

    public required int Port { get; init; }

    /// <summary>The probe's 16-character key: the new token embeds it, so the canary finds its probe.</summary>
    public required string ProbeKey { get; init; }

    /// <summary>A variant name from <see cref="ProbeResult.AcceptedVariants"/>.</summary>
    public required string Variant { get; init; }

    /// <summary>The name the server gave in its banner during the probe (some variants use it).</summary>
    public string? HostName { get; init; }

    public TlsMode Tls { get; init; } = TlsMode.StartTlsWhenOffered;

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

    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// The new canary token this message carries, made by the caller with <see cref="ProbeToken.Create"/> for
    /// <see cref="ProbeKey"/> and this target: the caller records it before the send (claim-before-send), and the
    /// message carries exactly what was recorded, never a second computation of it.
    /// </summary>
    public required string Token { get; init; }
}
