using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Notifier.Probing;

/// <summary>
/// Strict reading of IP address text, wherever a user or a message gives one (intake, CLI, probe targets).
/// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> follows inet_aton and reads "127.1", "0x7f.0.0.1",
/// "2130706433" and "010.1.1.1" (octal: 8.1.1.1), and takes IPv6 scope ids; none of these name a mail server
/// anyone reports, accepting them would let one relay hide behind several spellings, and a probe would connect
/// somewhere other than what the user read.
/// </summary>
internal static partial class IpAddressText
{
    /// <summary>
    /// Reads a dotted-quad IPv4 address or an IPv6 address, optionally in brackets and with the RFC 5321
    /// address-literal tag (<c>[IPv6:2001:db8::1]</c>). IPv4-mapped IPv6 comes back as IPv4.
    /// </summary>
    public static IPAddress? Parse(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']') text = text[1..^1].Trim();
        if (text.StartsWith("IPv6:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
            if (!text.Contains(':')) return null;
        }
        if (text.Length == 0) return null;
        return text.Contains(':') ? ParseV6(text) : ParseV4(text);
    }

    private static IPAddress? ParseV4(ReadOnlySpan<char> text)
    {
        Span<byte> bytes = stackalloc byte[4];
        var part = 0;
        foreach (var range in text.Split('.'))
        {
            if (part == 4) return null;
            var octet = text[range];
            // One to three decimal digits, no leading zero (which some parsers read as octal).
            if (octet.Length is 0 or > 3 || (octet.Length > 1 && octet[0] == '0')) return null;
            if (!byte.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
            bytes[part++] = value;
        }
        return part == 4 ? new IPAddress(bytes) : null;
    }

    private static IPAddress? ParseV6(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.')) return null;
        }
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6) return null;
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>
    /// True for text in inet_aton's number syntax (RFC 6943 §3.1.1): dot-separated numbers, each decimal, octal
    /// (leading 0) or hex (0x), such as "999.1.1.1", "010.1.1.1", "0x7f.1" or "2130706433". No host name looks
    /// like this (a top-level label is never all digits, RFC 3696 §2), so text like this that
    /// <see cref="Parse"/> refuses is a mistyped address, never a name to look up in DNS.
    /// </summary>
    public static bool LooksLikeIPv4(ReadOnlySpan<char> text) => NumericAddressRegex().IsMatch(text.Trim());

    [GeneratedRegex(@"^(0[xX][0-9a-fA-F]*|[0-9]+)(\.(0[xX][0-9a-fA-F]*|[0-9]+))*\.?$")]
    private static partial Regex NumericAddressRegex();
}
