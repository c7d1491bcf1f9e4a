namespace Notifier.Intake;

/// <summary>
/// <c>Intake:TrustedReceivers</c>: host names (<c>mx1.example.org</c>, or <c>*.example.org</c> for any name under it)
/// and networks (<c>10.20.0.0/16</c>, <c>2001:db8:1::/48</c>, or a single address) of the MTAs that are ours.
/// Kept apart from the parsers so that the inbox can share the same list.
/// </summary>
public sealed class TrustedReceiversOptions
{
    public List<string> Names { get; set; } = [];

    public List<string> Networks { get; set; } = [];

    /// <summary>Every entry that is not a host name pattern or a network, as a message naming it.</summary>
    public IEnumerable<string> Errors()
    {
        foreach (var name in Names)
        {
            if (!Intake.TrustedReceivers.TryParseName(name, out _))
                yield return $"Intake:TrustedReceivers:Names: \"{name}\" is not a host name (such as mx1.example.org) or a pattern (such as *.example.org)";
        }
        foreach (var network in Networks)
        {
            if (!Intake.TrustedReceivers.TryParseNetwork(network, out _))
                yield return $"Intake:TrustedReceivers:Networks: \"{network}\" is not a network in CIDR notation (such as 10.20.0.0/16 or 2001:db8:1::/48, with no bits set after the prefix) or an IP address";
        }
    }
}
