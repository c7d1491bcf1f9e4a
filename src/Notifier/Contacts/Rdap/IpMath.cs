using System.Net;
using System.Net.Sockets;

namespace Notifier.Contacts.Rdap;

/// <summary>Address arithmetic for ranges that RDAP gives as start/end addresses.</summary>
public static class IpMath
{
    /// <summary>IPv4 answers are reused within a /24, IPv6 within a /48 (see <see cref="RdapCache"/>).</summary>
    public const int BlockV4 = 24;
    public const int BlockV6 = 48;

    public static UInt128 ToNumber(IPAddress ip)
    {
        var bytes = ip.GetAddressBytes();
        UInt128 n = 0;
        foreach (var b in bytes) n = (n << 8) | b;
        return n;
    }

    public static int Bits(IPAddress ip) => ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    /// <summary>The /24 (IPv4) or /48 (IPv6) that holds the address.</summary>
    public static System.Net.IPNetwork Block(IPAddress ip) => Truncate(ip, ip.AddressFamily == AddressFamily.InterNetworkV6 ? BlockV6 : BlockV4);

    public static System.Net.IPNetwork Truncate(IPAddress ip, int prefixLength) => Probing.IpNetworkText.Truncate(ip, prefixLength);

    /// <summary>Leading bits start and end share: the prefix length of a CIDR range, an approximation for other ranges.</summary>
    public static int CommonPrefixLength(IPAddress start, IPAddress end)
    {
        var bits = Bits(start);
        var diff = ToNumber(start) ^ ToNumber(end);
        var length = bits;
        while (diff != 0)
        {
            diff >>= 1;
            length--;
        }
        return length;
    }

    public static bool InRange(IPAddress ip, IPAddress start, IPAddress end) =>
        ip.AddressFamily == start.AddressFamily && ToNumber(ip) >= ToNumber(start) && ToNumber(ip) <= ToNumber(end);
}
