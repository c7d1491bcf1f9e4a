using System.Net;

namespace Notifier.Probing;

/// <summary>What the variant list is built from.</summary>
/// <param name="CanaryLocalPart">The per-probe local part, e.g. <c>relaytest+&lt;token&gt;</c>.</param>
/// <param name="CanaryDomain">Our own domain; every recipient ends there.</param>
/// <param name="SenderLocalPart">Local part of the senders we make up (nmap's <c>from</c>).</param>
/// <param name="SenderDomain">Domain of the plain sender (ours).</param>
/// <param name="ReturnPath">
/// The MAIL FROM of the variants whose sender is ours (a VERP address in <paramref name="SenderDomain"/>, so a bounce
/// finds the message it answers); null for <c>SenderLocalPart@SenderDomain</c>.
/// </param>
/// <param name="TargetAddress">The probed IP (for IP-literal forms).</param>
/// <param name="TargetHostName">The target's own name (banner, EHLO or given name), or null when it showed none.</param>
public sealed record VariantContext(
    string CanaryLocalPart,
    string CanaryDomain,
    string SenderLocalPart,
    string SenderDomain,
    IPAddress TargetAddress,
    string? TargetHostName,
    string? ReturnPath = null);
