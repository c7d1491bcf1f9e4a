using System.Net;
using System.Text.Json;

namespace Notifier.Contacts.Rdap;

/// <summary>
/// IANA's RDAP bootstrap registry for IP addresses (RFC 9224): <c>services</c> is a list of [prefixes, URLs]; the
/// longest matching prefix names the registry. HTTPS URLs are preferred, as RFC 9224 section 3 recommends.
/// </summary>
public sealed class RdapBootstrap
{
    private readonly List<(System.Net.IPNetwork Network, Uri Server)> _entries;

    private RdapBootstrap(string origin, DateTimeOffset? publishedAt, List<(System.Net.IPNetwork, Uri)> entries)
    {
        Origin = origin;
        PublishedAt = publishedAt;
        _entries = entries;
    }

    /// <summary>The oldest <c>publication</c> of the files read (RFC 9224 section 3), or null when none says.</summary>
    public DateTimeOffset? PublishedAt { get; }

    /// <summary>Where the data came from (URL or the shipped copy) and its publication time, for evidence.</summary>
    public string Origin { get; }

    public int Count => _entries.Count;

    /// <summary>How many prefixes of <paramref name="family"/> (IPv4, IPv6) the bootstrap maps.</summary>
    public int CountOf(System.Net.Sockets.AddressFamily family) => _entries.Count(e => e.Network.BaseAddress.AddressFamily == family);

    /// <summary>Reads one or more bootstrap files; throws <see cref="JsonException"/> or <see cref="FormatException"/> when malformed.</summary>
    public static RdapBootstrap Parse(IEnumerable<string> jsonFiles, string origin)
    {
        var publications = new List<string>();
        var entries = new List<(System.Net.IPNetwork, Uri)>();
        foreach (var json in jsonFiles)
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.TryGetProperty("publication", out var pub) && pub.ValueKind == JsonValueKind.String) publications.Add(pub.GetString()!);
            if (!doc.RootElement.TryGetProperty("services", out var services) || services.ValueKind != JsonValueKind.Array)
                throw new FormatException("bootstrap file has no \"services\" array");
            foreach (var service in services.EnumerateArray())
            {
                if (service.ValueKind != JsonValueKind.Array || service.GetArrayLength() < 2) throw new FormatException("a bootstrap service is not [prefixes, urls]");
                var urls = service[1].EnumerateArray().Select(u => u.GetString()).OfType<string>()
                    .Select(u => Uri.TryCreate(u.EndsWith('/') ? u : u + "/", UriKind.Absolute, out var uri) ? uri : null).OfType<Uri>().ToList();
                var server = urls.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttps) ?? urls.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttp);
                if (server is null) continue;
                foreach (var prefix in service[0].EnumerateArray().Select(p => p.GetString()))
                {
                    if (System.Net.IPNetwork.TryParse(prefix, out var network)) entries.Add((network, server));
                }
            }
        }
        if (entries.Count == 0) throw new FormatException("bootstrap data maps no prefixes");
        DateTimeOffset? oldest = null;
        foreach (var publication in publications)
        {
            if (DateTimeOffset.TryParse(publication, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                && (oldest is null || at < oldest)) oldest = at;
        }
        return new RdapBootstrap(publications.Count == 0 ? origin : $"{origin} (published {string.Join(", ", publications.Distinct())})", oldest, entries);
    }

    /// <summary>The registry's base URL and the bootstrap prefix that matched, or null when no registry covers the address.</summary>
    public (System.Net.IPNetwork Prefix, Uri Server)? Find(IPAddress ip)
    {
        (System.Net.IPNetwork, Uri)? best = null;
        foreach (var entry in _entries)
        {
            if (entry.Network.Contains(ip) && (best is null || entry.Network.PrefixLength > best.Value.Item1.PrefixLength)) best = entry;
        }
        return best;
    }
}
