using System.Net;
using System.Net.Sockets;

namespace Notifier.Probing;

/// <summary>
/// Refuses targets that are not someone's public mail server: probing private, loopback, link-local or
/// reserved space is a lab activity and needs <c>Probing:AllowPrivateTargets</c> (or <c>--allow-private</c>).
/// Ranges from the IANA IPv4 and IPv6 special-purpose address registries (RFC 6890 and updates). IPv6 forms that
/// carry an IPv4 address are judged by that address, so <c>64:ff9b::a00:1</c> cannot reach 10.0.0.1 through a
/// NAT64 gateway; and IPv6 outside global unicast (2000::/3, RFC 4291 §2.4) is refused as a whole.
/// </summary>
public static class TargetGuard
{
    private static readonly (IPNetwork Net, string Why)[] Restricted =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "\"this network\" (RFC 791)"),
        (IPNetwork.Parse("10.0.0.0/8"), "private (RFC 1918)"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared carrier-grade NAT space (RFC 6598)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local"),
        (IPNetwork.Parse("172.16.0.0/12"), "private (RFC 1918)"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments (RFC 6890)"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation (RFC 5737)"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast (RFC 7526)"),
        (IPNetwork.Parse("192.168.0.0/16"), "private (RFC 1918)"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking (RFC 2544)"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation (RFC 5737)"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation (RFC 5737)"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (RFC 1112)"),
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        // Not globally reachable, and the IPv4 address sits wherever the local prefix length puts it (RFC 6052 §2.2).
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use IPv4/IPv6 translation (RFC 8215)"),
        (IPNetwork.Parse("100::/64"), "discard-only (RFC 6666)"),
        (IPNetwork.Parse("2001::/23"), "IETF protocol assignments (RFC 2928)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation (RFC 3849)"),
        (IPNetwork.Parse("3fff::/20"), "documentation (RFC 9637)"),
        (IPNetwork.Parse("5f00::/16"), "segment routing (SRv6) SIDs (RFC 9602)"),
        (IPNetwork.Parse("fc00::/7"), "unique local (RFC 4193)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local (deprecated, RFC 3879)"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    /// <summary>
    /// IPv6 forms that carry an IPv4 address at byte <c>Offset</c>. <c>Routable</c>: the registry calls the
    /// prefix globally reachable (or, for 6to4, it reaches exactly the IPv4 host), so a public IPv4 address in it
    /// may be probed; the deprecated forms are refused whatever they carry.
    /// </summary>
    private static readonly (IPNetwork Net, string Form, int Offset, bool Routable)[] Embedding =
    [
        (IPNetwork.Parse("64:ff9b::/96"), "NAT64 (RFC 6052)", 12, true),
        (IPNetwork.Parse("2002::/16"), "6to4 (RFC 3056)", 2, true),
        (IPNetwork.Parse("::ffff:0:0:0/96"), "IPv4-translated (RFC 2765)", 12, false),
        (IPNetwork.Parse("::/96"), "IPv4-compatible (deprecated, RFC 4291 §2.5.5.1)", 12, false),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    /// <summary>Why the address must not be probed, or null when it is a public unicast address.</summary>
    public static string? RestrictionOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.Equals(IPAddress.Broadcast)) return "broadcast";
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6)) return "not an IP address";
        foreach (var (net, why) in Restricted)
        {
            if (net.BaseAddress.AddressFamily == address.AddressFamily && net.Contains(address)) return why;
        }
        if (address.AddressFamily == AddressFamily.InterNetwork) return null;
        foreach (var (net, form, offset, routable) in Embedding)
        {
            if (!net.Contains(address)) continue;
            var v4 = new IPAddress(address.GetAddressBytes().AsSpan(offset, 4));
            var inner = RestrictionOf(v4);
            if (inner is not null) return $"{form} form of {v4}: {inner}";
            return routable ? null : $"{form} form of {v4}: not globally reachable";
        }
        return GlobalUnicast.Contains(address) ? null : "outside IPv6 global unicast 2000::/3 (RFC 4291)";
    }

    /// <summary>The network that rate limits and "one network at a time" apply to: IPv4 /24, IPv6 /64.</summary>
    public static IPNetwork NetworkOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        var prefix = address.AddressFamily == AddressFamily.InterNetwork ? 24 : 64;
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), prefix);
    }
}
