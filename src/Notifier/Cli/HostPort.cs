using Notifier.Probing;

namespace Notifier.Cli;

/// <summary>
/// Splits <c>host[:port]</c>, <c>[v6]:port</c>, bare IPv6 and <c>mx:domain[:port]</c>. Addresses are read strictly
/// (<see cref="IpAddressText"/>); a mistyped dotted quad is refused by the target resolver, never looked up as a name.
/// </summary>
public static class HostPort
{
    public static (string Host, int? Port) Parse(string input)
    {
        var s = input.Trim();
        if (s.Length == 0) throw new CliUsageException("the target is empty");
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) throw new CliUsageException($"\"{input}\": missing ']' after the IPv6 address");
            var addr = s[1..close];
            if (IpAddressText.Parse(addr) is null) throw new CliUsageException($"\"{addr}\" is not an IP address");
            var rest = s[(close + 1)..];
            if (rest.Length == 0) return (addr, null);
            if (!rest.StartsWith(':')) throw new CliUsageException($"\"{input}\": expected ':port' after ']'");
            return (addr, Port(rest[1..], input));
        }
        if (s.Count(c => c == ':') > 1 && !s.StartsWith("mx:", StringComparison.OrdinalIgnoreCase))
        {
            if (IpAddressText.Parse(s) is null) throw new CliUsageException($"\"{input}\" is not an IP address (write [address]:port for IPv6 with a port)");
            return (s, null);
        }
        var prefix = s.StartsWith("mx:", StringComparison.OrdinalIgnoreCase) ? 3 : 0;
        var colon = s.IndexOf(':', prefix);
        if (colon < 0) return (s, null);
        return (s[..colon], Port(s[(colon + 1)..], input));
    }

    private static int Port(string text, string input) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535
            ? p
            : throw new CliUsageException($"\"{input}\": port must be a number from 1 to 65535");
}
