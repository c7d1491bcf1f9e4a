using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Notifier.Probing;

namespace Notifier.Intake;

/// <summary>
/// The MTAs that are ours, by host name and by network. A Received header written by one of them is true; the
/// first hop handed over by a host that is not one of them is where the outside world connected, and everything
/// written below it may be forged. Used by <see cref="SpamSampleParser"/>, and meant for the inbox as well.
/// </summary>
public sealed partial class TrustedReceivers
{
    private readonly string[] _exactNames;
    private readonly string[] _suffixes;

    public TrustedReceivers(IEnumerable<string> names, IEnumerable<IPNetwork> networks)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(networks);
        var patterns = names.Select(n => TryParseName(n, out var p) ? p : throw new ArgumentException($"\"{n}\" is not a host name or *.domain pattern", nameof(names))).ToArray();
        _exactNames = patterns.Where(p => !p.StartsWith('.')).Distinct(StringComparer.Ordinal).ToArray();
        _suffixes = patterns.Where(p => p.StartsWith('.')).Distinct(StringComparer.Ordinal).ToArray();
        Names = patterns.Select(p => p.StartsWith('.') ? "*" + p : p).ToArray();
        Networks = networks.Select(n => n.BaseAddress.IsIPv4MappedToIPv6 && n.PrefixLength >= 96
            ? new IPNetwork(n.BaseAddress.MapToIPv4(), n.PrefixLength - 96)
            : n).ToArray();
    }

    /// <summary>Trusts nobody: every hop is external.</summary>
    public static TrustedReceivers None { get; } = new([], []);

    /// <summary>The name patterns, lower case, without trailing dots (<c>*.example.org</c> for a suffix).</summary>
    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<IPNetwork> Networks { get; }

    /// <summary>Builds the list from validated configuration (see <see cref="TrustedReceiversOptions.Errors"/>).</summary>
    public static TrustedReceivers From(TrustedReceiversOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var networks = options.Networks.Select(n => TryParseNetwork(n, out var net)
            ? net
            : throw new FormatException($"Intake:TrustedReceivers:Networks: \"{n}\" is not a network")).ToList();
        return new TrustedReceivers(options.Names, networks);
    }

    /// <summary>
    /// Whether a host is ours: its address lies in one of the networks, or its name matches one of the names.
    /// Pass a name the receiving MTA verified (reverse DNS), never the HELO name the client chose for itself.
    /// </summary>
    public bool IsTrusted(string? hostName, IPAddress? address)
    {
        if (address is not null)
        {
            if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
            foreach (var network in Networks)
            {
                if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address)) return true;
            }
        }
        if (hostName is null) return false;
        var name = hostName.Trim().TrimEnd('.').ToLowerInvariant();
        if (name.Length == 0) return false;
        foreach (var exact in _exactNames)
        {
            if (name == exact) return true;
        }
        foreach (var suffix in _suffixes)
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>
    /// Reads a host name (<c>mx1.example.org</c>, trailing dot allowed) or a suffix pattern (<c>*.example.org</c>,
    /// matching names under example.org but not example.org itself). The result is lower case; a suffix starts with '.'.
    /// </summary>
    public static bool TryParseName(string? text, [NotNullWhen(true)] out string? pattern)
    {
        pattern = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var name = text.Trim().TrimEnd('.').ToLowerInvariant();
        var suffix = name.StartsWith("*.", StringComparison.Ordinal);
        if (suffix) name = name[2..];
        if (name.Length is 0 or > 253 || !HostName().IsMatch(name)) return false;
        pattern = suffix ? "." + name : name;
        return true;
    }

    /// <summary>Reads a CIDR network (<c>10.20.0.0/16</c>) or a single address (as /32 or /128), strictly (<see cref="IpNetworkText"/>).</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network) => IpNetworkText.TryParse(text, singleAddress: true, out network, out _);

    [GeneratedRegex(@"^(?!-)[a-z0-9_-]{1,63}(?<!-)(\.(?!-)[a-z0-9_-]{1,63}(?<!-))*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostName();
}
