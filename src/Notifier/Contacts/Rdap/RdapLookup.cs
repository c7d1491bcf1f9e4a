using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Notifier.Contacts.Rdap;

/// <summary>
/// The RDAP source: bootstrap → the registry's <c>ip/&lt;address&gt;</c> → abuse entities of the most specific
/// network, then of its parents (up to <see cref="ContactsOptions.RdapParentDepth"/>) as lower-ranked fallbacks
/// and escalation contacts. Concurrent lookups in one /24 (/48) share one request.
/// </summary>
public sealed class RdapLookup(RdapBootstrapSource bootstrap, RdapClient client, RdapCache cache, IOptions<ContactsOptions> options)
{
    private const string Source = "RDAP";
    private readonly ConcurrentDictionary<System.Net.IPNetwork, Lazy<Task<RdapChain>>> _inFlight = new();

    public async Task<SourceResult> LookupAsync(IPAddress ip, CancellationToken ct)
    {
        var chain = cache.Find(ip);
        if (chain is null)
        {
            var block = IpMath.Block(ip);
            var shared = _inFlight.GetOrAdd(block, _ => new Lazy<Task<RdapChain>>(() => FetchAndCacheAsync(ip, block)));
            chain = await shared.Value.WaitAsync(ct);
            // The shared answer may be for a network that does not hold this address (a neighbouring sub-assignment).
            if (chain.Network is not null && !IpMath.InRange(ip, chain.Network.Start, chain.Network.End))
                chain = cache.Find(ip) ?? await FetchAndCacheAsync(ip, null);
        }
        return ToResult(ip, chain);
    }

    /// <summary>Runs without the caller's token: other callers share it, and HttpClient's timeout bounds it.</summary>
    private async Task<RdapChain> FetchAndCacheAsync(IPAddress ip, System.Net.IPNetwork? inFlightKey)
    {
        try
        {
            var o = options.Value;
            var chain = await FetchChainAsync(ip);
            cache.Add(chain, chain.Network is null ? o.RdapFailureCacheDuration : o.RdapCacheDuration);
            return chain;
        }
        finally
        {
            if (inFlightKey is { } key) _inFlight.TryRemove(key, out _);
        }
    }

    private async Task<RdapChain> FetchChainAsync(IPAddress ip)
    {
        var notes = new List<LookupNote>();
        var (map, mapNote) = bootstrap.Current;
        if (mapNote is not null) notes.Add(mapNote);
        var registry = map.Find(ip);
        if (registry is null)
        {
            notes.Add(new LookupNote(Source, $"bootstrap {map.Origin}", $"no RDAP service covers {ip}"));
            return new RdapChain(ip, null, [], notes);
        }
        var bootstrapEvidence = new ContactEvidence($"RDAP bootstrap {map.Origin}: {ip}", $"{registry.Value.Prefix} → {registry.Value.Server}");
        var first = await client.GetAsync(new Uri(registry.Value.Server, "ip/" + ip), CancellationToken.None);
        var fetches = new List<RdapFetch> { first };
        if (first.Network is null)
        {
            notes.Add(new LookupNote(Source, "GET " + first.Url, first.Failure ?? "no network"));
            return new RdapChain(ip, bootstrapEvidence, fetches, notes);
        }
        var parent = first.Network.Parent;
        for (var depth = 0; parent is not null && depth < options.Value.RdapParentDepth; depth++)
        {
            var fetch = cache.FindUrl(parent) ?? await client.GetAsync(parent, CancellationToken.None);
            cache.AddUrl(parent, fetch, fetch.Network is null ? options.Value.RdapFailureCacheDuration : options.Value.RdapCacheDuration);
            if (fetch.Network is null)
            {
                notes.Add(new LookupNote(Source, "GET " + fetch.Url, fetch.Failure ?? "no network"));
                break;
            }
            fetches.Add(fetch);
            parent = fetch.Network.Parent;
        }
        return new RdapChain(ip, bootstrapEvidence, fetches, notes);
    }

    private static SourceResult ToResult(IPAddress ip, RdapChain chain)
    {
        var notes = new List<LookupNote>(chain.Notes);
        var found = new List<FoundContact>();
        var trail = new List<ContactEvidence>();
        if (chain.Bootstrap is not null) trail.Add(chain.Bootstrap);
        if (!chain.QueriedFor.Equals(ip) && chain.Network is not null)
            trail.Add(new ContactEvidence("RDAP cache", $"answer for {chain.QueriedFor} reused: {chain.Network.Range} holds {ip}"));
        foreach (var fetch in chain.Fetches.Where(f => f.Network is not null))
        {
            trail.Add(fetch.Evidence);
            var network = fetch.Network!;
            foreach (var problem in network.Problems) notes.Add(new LookupNote(Source, "GET " + fetch.Url, problem));
            if (network.Abuse.Count == 0) notes.Add(new LookupNote(Source, "GET " + fetch.Url, $"no abuse contact on {network.Describe()}"));
            foreach (var abuse in network.Abuse)
                found.Add(new FoundContact(abuse.Email, ContactSource.Rdap, ContactTier.RdapAbuse, [.. trail], network.PrefixLength, abuse.Country ?? network.Country));
        }
        return new SourceResult(found, notes, chain.Network is { } n ? n.Handle ?? n.Range : null);
    }
}
