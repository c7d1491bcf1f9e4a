using System.Net;
using System.Net.Sockets;

namespace Notifier.Probing;

/// <summary>
/// Refuses targets that are not someone's public mail server: probing private, loopback, link-local or
/// reserved space is a lab activity and needs <c>Probing:AllowPrivateTargets</c> (or <c>--allow-private</c>).
/// Ranges from the IANA special-purpose registries (RFC 6890 and updates).
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
        (IPNetwork.Parse("64:ff9b:1::/48"), "local-use IPv4/IPv6 translation (RFC 8215)"),
        (IPNetwork.Parse("100::/64"), "discard-only (RFC 6666)"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation (RFC 3849)"),
        (IPNetwork.Parse("2001::/23"), "IETF protocol assignments (RFC 2928)"),
        (IPNetwork.Parse("fc00::/7"), "unique local (RFC 4193)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    /// <summary>Why the address must not be probed, or null when it is a public unicast address.</summary>
    public static string? RestrictionOf(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.Equals(IPAddress.Broadcast)) return "broadcast";
        foreach (var (net, why) in Restricted)
        {
            if (net.BaseAddress.AddressFamily == address.AddressFamily && net.Contains(address)) return why;
        }
        return address.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 ? null : "not an IP address";
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
