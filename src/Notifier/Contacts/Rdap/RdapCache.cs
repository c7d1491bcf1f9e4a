using System.Net;

namespace Notifier.Contacts.Rdap;

/// <summary>
/// RDAP answers kept in memory so that 1,000 relays in one network cost one query, not 1,000. An answer for
/// address A is reused for address B when B lies inside the returned network AND in the same /24 (IPv6 /48) as A.
/// The second condition bounds the one imprecision of reuse: a sub-assignment holding B but not A is only missed
/// within that block. Failures are cached for the whole block, briefly. Parents are cached by URL.
/// </summary>
public sealed class RdapCache(TimeProvider time)
{
    private const int MaxEntries = 50_000;

    private sealed record Entry(IPAddress? Start, IPAddress? End, DateTimeOffset Expires, RdapChain Chain);

    private readonly Lock _lock = new();
    private readonly Dictionary<System.Net.IPNetwork, List<Entry>> _byBlock = [];
    private readonly Dictionary<Uri, (DateTimeOffset Expires, RdapFetch Fetch)> _byUrl = [];
    private int _count;

    public RdapChain? Find(IPAddress ip)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_byBlock.TryGetValue(IpMath.Block(ip), out var entries)) return null;
            entries.RemoveAll(e => e.Expires <= now);
            return entries.FirstOrDefault(e => e.Start is null || IpMath.InRange(ip, e.Start, e.End!))?.Chain;
        }
    }

    public void Add(RdapChain chain, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero) return;
        var entry = new Entry(chain.Network?.Start, chain.Network?.End, time.GetUtcNow() + ttl, chain);
        lock (_lock)
        {
            if (_count >= MaxEntries) Clear();
            var block = IpMath.Block(chain.QueriedFor);
            if (!_byBlock.TryGetValue(block, out var entries)) _byBlock[block] = entries = [];
            entries.Add(entry);
            _count++;
        }
    }

    public RdapFetch? FindUrl(Uri url)
    {
        lock (_lock)
        {
            return _byUrl.TryGetValue(url, out var hit) && hit.Expires > time.GetUtcNow() ? hit.Fetch : null;
        }
    }

    public void AddUrl(Uri url, RdapFetch fetch, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero) return;
        lock (_lock)
        {
            if (_byUrl.Count >= MaxEntries) Clear();
            _byUrl[url] = (time.GetUtcNow() + ttl, fetch);
        }
    }

    private void Clear()
    {
        // Simple and bounded: a full cache starts over rather than tracking recency per entry.
        _byBlock.Clear();
        _byUrl.Clear();
        _count = 0;
    }
}
