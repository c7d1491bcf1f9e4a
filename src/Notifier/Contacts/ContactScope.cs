using System.Net;

namespace Notifier.Contacts;

public enum ContactScopeKind
{
    Case,
    Domain,
    Network,
}

/// <summary>Where a manual entry applies: the case it was entered on, a domain, or a network (CIDR).</summary>
public sealed record ContactScope
{
    private ContactScope(ContactScopeKind kind, string? domain, System.Net.IPNetwork? network)
    {
        Kind = kind;
        Domain = domain;
        Network = network;
    }

    public ContactScopeKind Kind { get; }

    public string? Domain { get; }

    public System.Net.IPNetwork? Network { get; }

    /// <summary>The DB layer passes only the entries of the case being ranked, so a case entry always applies.</summary>
    public static ContactScope Case { get; } = new(ContactScopeKind.Case, null, null);

    public static ContactScope ForDomain(string domain) =>
        new(ContactScopeKind.Domain, DomainNames.ToAscii(domain) ?? throw new ArgumentException($"\"{domain}\" is not a domain name", nameof(domain)), null);

    public static ContactScope ForNetwork(System.Net.IPNetwork network) => new(ContactScopeKind.Network, null, network);

    /// <summary>
    /// Domain entries match the registrable domains of forward-confirmed PTR names only: otherwise whoever controls
    /// a reverse zone could route notices about their host to another operator's manual contact.
    /// </summary>
    public bool AppliesTo(IPAddress ip, IReadOnlyCollection<string> confirmedDomains) => Kind switch
    {
        ContactScopeKind.Domain => confirmedDomains.Any(d => DomainNames.IsEqualOrBelow(d, Domain!)),
        ContactScopeKind.Network => Network!.Value.Contains(ip),
        _ => true,
    };

    public override string ToString() => Kind switch
    {
        ContactScopeKind.Domain => "domain " + Domain,
        ContactScopeKind.Network => "network " + Network,
        _ => "case",
    };
}
