namespace Notifier.Contacts;

/// <summary>
/// A registrable domain derived from a PTR name of the IP, with the chain that led to it (PTR, forward check,
/// Public Suffix List). <see cref="Confirmed"/> is false when no PTR name leading here was forward-confirmed.
/// </summary>
public sealed record DomainOrigin(string Domain, bool Confirmed, IReadOnlyList<ContactEvidence> Chain)
{
    public ContactTier TierOr(ContactTier whenConfirmed) => Confirmed ? whenConfirmed : ContactTier.Unconfirmed;
}
