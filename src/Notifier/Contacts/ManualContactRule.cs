namespace Notifier.Contacts;

/// <summary>
/// An operator's say about an address: add it, prefer it or disable it, for one case, a domain (matched against
/// the registrable domains of forward-confirmed PTR names) or a network. Rules are re-applied on every ranking,
/// so they survive re-lookups.
/// </summary>
public sealed class ManualContactRule
{
    public int Id { get; set; }

    /// <summary>Normalised with <see cref="ContactAddress.Normalize"/>.</summary>
    public required string Address { get; set; }

    /// <summary><c>add</c>, <c>prefer</c> or <c>disable</c> (<see cref="ManualContactAction"/>).</summary>
    public required string Action { get; set; }

    /// <summary><c>case</c>, <c>domain</c> or <c>network</c> (<see cref="ContactScopeKind"/>).</summary>
    public required string Scope { get; set; }

    /// <summary>Scope <c>case</c>: the case.</summary>
    public int? CaseId { get; set; }

    /// <summary>Scope <c>domain</c>: the domain in ASCII (covers its subdomains).</summary>
    public string? Domain { get; set; }

    /// <summary>Scope <c>network</c>: the CIDR, canonical (no host bits).</summary>
    public string? Network { get; set; }

    /// <summary><c>operator:&lt;name&gt;</c> or <c>api:&lt;key&gt;</c>.</summary>
    public required string AddedBy { get; set; }

    public string? Reason { get; set; }

    /// <summary>The language notices to this address are written in (<c>en</c>, <c>de</c>); null: chosen from the RDAP country.</summary>
    public string? Language { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    public ContactScope ToScope() => Scope switch
    {
        "domain" => ContactScope.ForDomain(Domain!),
        "network" => ContactScope.ForNetwork(System.Net.IPNetwork.Parse(Network!)),
        _ => ContactScope.Case,
    };

    public ManualContact ToPolicy() => new(Address, ContactText.Parse<ManualContactAction>(Action), ToScope(), AddedBy, Reason);
}
