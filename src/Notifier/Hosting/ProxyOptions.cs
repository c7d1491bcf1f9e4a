using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Notifier.Hosting;

/// <summary>
/// The <c>Proxy</c> section: the TLS-terminating reverse proxies in front of the service. Their
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed, so the client's address partitions the sign-in
/// rate limit and the sign-in cookie is marked Secure when the client used https. Empty: the headers are ignored
/// (anyone could send them).
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";

    /// <summary>IP addresses of the proxies, such as 127.0.0.1 for a proxy on this host.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>
    /// Networks the proxies are in, in CIDR notation (RFC 4632), such as 172.18.0.0/16 for a container network whose
    /// proxy gets its address when it starts.
    /// </summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Whether any proxy is configured (and so the forwarded headers are read at all).</summary>
    public bool Any => KnownProxies.Length > 0 || KnownNetworks.Length > 0;

    public IReadOnlyList<IPAddress> Addresses() =>
        KnownProxies.Select(p => IPAddress.TryParse(p.Trim(), out var ip) ? ip : null).OfType<IPAddress>().ToList();

    public IReadOnlyList<IPNetwork> Networks() =>
        [.. KnownNetworks.Select(n => IPNetwork.TryParse(n.Trim(), out var network) ? network : (IPNetwork?)null).OfType<IPNetwork>()];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        KnownProxies.Where(p => !IPAddress.TryParse(p.Trim(), out _))
            .Select(p => new ValidationResult($"Proxy:KnownProxies: \"{p}\" is not an IP address", [nameof(KnownProxies)]))
            .Concat(KnownNetworks.Where(n => !IPNetwork.TryParse(n.Trim(), out _))
                .Select(n => new ValidationResult($"Proxy:KnownNetworks: \"{n}\" is not a network in CIDR notation (such as 172.18.0.0/16)", [nameof(KnownNetworks)])));
}
