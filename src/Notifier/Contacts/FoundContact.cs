namespace Notifier.Contacts;

/// <summary>
/// An address one source produced, before policy (manual entries, suppressions, bounces) is applied. The DB layer
/// stores these so that a bounce can re-rank without looking up again.
/// </summary>
/// <param name="NetworkPrefixLength">RDAP only: prefix length of the network that carried the abuse entity.</param>
/// <param name="Country">RDAP only: ISO 3166-1 alpha-2 country of the abuse entity's address, else of the network (the notice language follows it).</param>
public sealed record FoundContact(
    string Address,
    ContactSource Source,
    ContactTier Tier,
    IReadOnlyList<ContactEvidence> Evidence,
    int? NetworkPrefixLength = null,
    string? Country = null);
