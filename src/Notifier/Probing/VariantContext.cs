using System.Net;

namespace Notifier.Probing;

/// <summary>What the variant list is built from.</summary>
/// <param name="CanaryLocalPart">The per-probe local part, e.g. <c>relaytest+&lt;token&gt;</c>.</param>
/// <param name="CanaryDomain">Our own domain; every recipient ends there.</param>
/// <param name="SenderLocalPart">Local part of the senders we make up (nmap's <c>from</c>).</param>
/// <param name="SenderDomain">Domain of the plain sender (ours).</param>
/// <param name="TargetAddress">The probed IP (for IP-literal forms).</param>
/// <param name="TargetHostName">The target's own name (banner, EHLO or given name), or null when it showed none.</param>
public sealed record VariantContext(
    string CanaryLocalPart,
    string CanaryDomain,
    string SenderLocalPart,
    string SenderDomain,
    IPAddress TargetAddress,
    string? TargetHostName);
