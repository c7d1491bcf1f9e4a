namespace Notifier.Contacts;

/// <summary>
/// An address one source produced, before policy (manual entries, suppressions, bounces) is applied. The DB layer
/// stores these so that a bounce can re-rank without looking up again.
/// </summary>
/// <param name="NetworkPrefixLength">RDAP only: prefix length of the network that carried the abuse entity.</param>
public sealed record FoundContact(
    string Address,
    ContactSource Source,
    ContactTier Tier,
    IReadOnlyList<ContactEvidence> Evidence,
    int? NetworkPrefixLength = null);
