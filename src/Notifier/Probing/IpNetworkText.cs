using System.Net;
using System.Net.Sockets;

namespace Notifier.Probing;

/// <summary>
/// Reads a network as people write it (<c>192.0.2.0/24</c>, <c>2001:db8::/32</c>), strictly: the one parser for the
/// contact rules' networks and the trusted receivers. Written by hand around <see cref="IpAddressText"/> because
/// <see cref="IPNetwork.TryParse(string?, out IPNetwork)"/> accepts what <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>
/// accepts (<c>10.1/16</c> as 10.0.0.1) and masks host bits silently.
/// </summary>
public static class IpNetworkText
{
    public const string Expected = "must be a CIDR network such as 192.0.2.0/24 or 2001:db8::/32";

    /// <summary>
    /// A CIDR network, or with <paramref name="singleAddress"/> also a bare address (as /32 or /128). Host bits set
    /// after the prefix (<c>10.20.1.0/16</c>) are refused rather than masked: it is a typo for either 10.20.0.0/16 or
    /// 10.20.1.0/24, and guessing which would cover the wrong hosts; <paramref name="problem"/> names the likely network.
    /// </summary>
    public static bool TryParse(string? text, bool singleAddress, out IPNetwork network, out string problem)
    {
        network = default;
        problem = Expected;
        var t = text?.Trim() ?? "";
        var slash = t.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 && !singleAddress) return false;
        if (IpAddressText.Parse(slash < 0 ? t : t[..slash]) is not { } ip) return false;
        var max = ip.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        var length = max;
        if (slash >= 0 && !(int.TryParse(t[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out length) && length <= max))
            return false;
        var canonical = Truncate(ip, length);
        if (!canonical.BaseAddress.Equals(ip))
        {
            problem = $"has host bits set; did you mean {canonical}?";
            return false;
        }
        network = canonical;
        return true;
    }

    /// <summary>The network of <paramref name="prefixLength"/> bits that holds <paramref name="ip"/> (host bits cleared).</summary>
    public static IPNetwork Truncate(IPAddress ip, int prefixLength)
    {
        var bytes = ip.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefixLength - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPNetwork(new IPAddress(bytes), prefixLength);
    }
}
