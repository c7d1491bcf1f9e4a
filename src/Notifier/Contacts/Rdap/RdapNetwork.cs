using System.Net;

namespace Notifier.Contacts.Rdap;

/// <summary>The parts of an RDAP "ip network" object (RFC 9083 section 5.4) that contact discovery uses.</summary>
/// <param name="Problems">Why some abuse entities gave no usable address (no email in the vCard, bad syntax).</param>
/// <param name="Parent">The "up" link: the enclosing, less specific network.</param>
/// <param name="Country">The network's "country" member (RFC 9083 section 5.4, ISO 3166-1 alpha-2), upper case.</param>
public sealed record RdapNetwork(
    string? Handle,
    string? Name,
    IPAddress Start,
    IPAddress End,
    int PrefixLength,
    IReadOnlyList<RdapAbuseContact> Abuse,
    IReadOnlyList<string> Problems,
    Uri? Parent,
    string? Country = null)
{
    public string Range => IpMath.Truncate(Start, PrefixLength).BaseAddress.Equals(Start)
        && IpMath.CommonPrefixLength(Start, End) == PrefixLength
        && IpMath.ToNumber(End) - IpMath.ToNumber(Start) == (UInt128.One << (IpMath.Bits(Start) - PrefixLength)) - 1
            ? $"{Start}/{PrefixLength}"
            : $"{Start} - {End}";

    public string Describe() => $"ip network {Range}{(Handle is null ? "" : " " + Handle)}{(Name is null ? "" : $" ({Name})")}";
}
