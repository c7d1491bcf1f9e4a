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

    public IReadOnlyList<IPAddress> Addresses() =>
        KnownProxies.Select(p => IPAddress.TryParse(p.Trim(), out var ip) ? ip : null).OfType<IPAddress>().ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        KnownProxies.Where(p => !IPAddress.TryParse(p.Trim(), out _))
            .Select(p => new ValidationResult($"Proxy:KnownProxies: \"{p}\" is not an IP address", [nameof(KnownProxies)]));
}
