namespace Notifier.Probing;

/// <summary>
/// What one dialogue established, frozen when it ends: everything <see cref="ProbeJudge"/> reads, and nothing
/// it could change. Kept apart from the dialogue so the verdict can be tested without a server.
/// </summary>
/// <param name="Target">The probed <c>address:port</c>, as it appears in the reason.</param>
/// <param name="CanaryDomain">Our own domain; acceptance is only ever of a recipient there.</param>
/// <param name="Variants">Every planned variant in order, the ones never reached as <see cref="VariantOutcome.NotTried"/>.</param>
/// <param name="Stop">Why the dialogue ended early, or <see cref="ProbeStop.None"/>.</param>
/// <param name="StopDetail">The one-line cause behind <paramref name="Stop"/>, as written to the transcript.</param>
/// <param name="TlsFailure">Why the TLS handshake failed, when it did (later sessions ran in clear text).</param>
/// <param name="DataAccepted">The server answered 250 to the end of the test message's data (RFC 5321 §4.1.1.4).</param>
/// <param name="DataReply">The server's answer to DATA or the message, or why the message was not sent.</param>
/// <param name="DataVariant">The variant the test message went through, when one was attempted.</param>
/// <param name="Mode">The probe's mode: in <see cref="ProbeMode.RcptOnly"/> no test message is ever sent.</param>
internal sealed record ProbeFacts(
    string Target,
    string CanaryDomain,
    IReadOnlyList<VariantResult> Variants,
    ProbeStop Stop,
    string? StopDetail,
    string? TlsFailure,
    bool DataAccepted,
    string? DataReply,
    string? DataVariant,
    ProbeMode Mode = ProbeMode.Quick)
{
    /// <summary>Variants that got an answer or lost the connection; fewer than planned means the dialogue was cut off.</summary>
    public int VariantsTried => Variants.Count(r => r.Outcome != VariantOutcome.NotTried);

    public IReadOnlyList<VariantResult> Accepted => Variants.Where(r => r.Accepted).ToList();
}
