using System.Net;

namespace Notifier.Probing;

/// <summary>Everything one probe's dialogue is run with, fixed before it connects (see <see cref="RelayProbe"/>).</summary>
internal sealed record ProbeSettings(
    IPEndPoint EndPoint,
    string? GivenName,
    ProbeMode Mode,
    TlsMode Tls,
    string HeloName,
    string CanaryDomain,
    string CanaryLocalPart,
    string SenderLocalPart,
    string SenderDomain,
    string ProbeKey,
    string Token,
    SessionLimits Limits,
    int MaxErrorsPerSession,
    int MaxReconnects,
    string OperatorName,
    string? OperatorContact,
    string? InfoUrl,
    TestMessageSigner? Signer = null,
    string? ReturnPath = null,
    IReadOnlyList<string>? Variants = null)
{
    /// <summary>The probed <c>address:port</c> (IPv6 in brackets).</summary>
    public string Target => EndPoint.ToString();

    public string CanaryAddress => $"{CanaryLocalPart}@{CanaryDomain}";
}
