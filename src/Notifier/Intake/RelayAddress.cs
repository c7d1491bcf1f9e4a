using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using Notifier.Probing;

namespace Notifier.Intake;

/// <summary>
/// A reported relay: an IP address and an SMTP port, normalised so that one relay has one spelling
/// (IPv4-mapped IPv6 becomes IPv4, IPv6 is in RFC 5952 canonical text). <see cref="CaseKey"/> identifies its case.
/// </summary>
public sealed record RelayAddress
{
    public const int DefaultPort = 25;

    private RelayAddress(IPAddress ip, int port)
    {
        IPAddress = ip;
        Port = port;
        Address = ip.ToString();
        CaseKey = ip.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{Address}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{Address}:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The address; never IPv4-mapped IPv6, never with a scope id.</summary>
    [JsonIgnore]
    public IPAddress IPAddress { get; }

    /// <summary>The address in canonical text: dotted quad, or compressed lower-case IPv6 without brackets.</summary>
    public string Address { get; }

    public int Port { get; }

    /// <summary><c>address:port</c>, with IPv6 in brackets (<c>[2001:db8::1]:25</c>): one case per relay.</summary>
    public string CaseKey { get; }

    /// <summary>Why probing this address is refused (private, loopback, link-local, reserved …), or null for a public address.</summary>
    [JsonIgnore]
    public string? Restriction => TargetGuard.RestrictionOf(IPAddress);

    /// <summary>A relay at an address already parsed, such as the connecting IP of a Received header.</summary>
    public static RelayAddress Create(IPAddress address, int port = DefaultPort)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        else if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) address = new IPAddress(address.GetAddressBytes());
        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
            throw new ArgumentException("not an IP address", nameof(address));
        return new RelayAddress(address, port);
    }

    /// <summary>
    /// Reads an address (IPv4 dotted quad or IPv6, optionally in brackets) and a port (null: 25), as an API
    /// body carries them.
    /// </summary>
    public static bool TryParse(string? address, int? port, [NotNullWhen(true)] out RelayAddress? relay, [NotNullWhen(false)] out IntakeError? error)
    {
        relay = null;
        if (!TryParseAddress(address, out var ip, out error)) return false;
        var p = port ?? DefaultPort;
        if (p is < 1 or > 65535)
        {
            error = PortError;
            return false;
        }
        relay = new RelayAddress(ip, p);
        return true;
    }

    /// <summary>
    /// Reads an address and a port given as text (a CSV field, a CLI argument); an empty or missing port means 25.
    /// </summary>
    public static bool TryParse(string? address, string? port, [NotNullWhen(true)] out RelayAddress? relay, [NotNullWhen(false)] out IntakeError? error)
    {
        relay = null;
        int? number = null;
        if (!string.IsNullOrWhiteSpace(port))
        {
            if (!int.TryParse(port.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var p))
            {
                // Still report a bad address first: it is the field people look at.
                error = TryParseAddress(address, out _, out var addressError) ? PortError : addressError;
                return false;
            }
            number = p;
        }
        return TryParse(address, number, out relay, out error);
    }

    public override string ToString() => CaseKey;

    private static IntakeError PortError => new("port", "must be 1-65535");

    private static bool TryParseAddress(string? text, [NotNullWhen(true)] out IPAddress? ip, [NotNullWhen(false)] out IntakeError? error)
    {
        ip = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = new IntakeError("address", "is required");
            return false;
        }
        ip = IpAddressText.Parse(text);
        error = ip is null ? new IntakeError("address", "not an IP address") : null;
        return ip is not null;
    }
}
