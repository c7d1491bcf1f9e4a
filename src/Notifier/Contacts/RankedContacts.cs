namespace Notifier.Contacts;

/// <summary>The ranked list for one IP; <see cref="Chosen"/> is where the notice goes.</summary>
public sealed record RankedContacts(IReadOnlyList<ContactCandidate> Candidates)
{
    /// <summary>The best active candidate, or null when every one is skipped.</summary>
    public ContactCandidate? Chosen => Candidates.FirstOrDefault(c => c.Status == ContactStatus.Active);

    /// <summary>Failover: the first active candidate ranked below <paramref name="address"/> (which just failed).</summary>
    public ContactCandidate? NextAfter(string address)
    {
        var normalized = ContactAddress.Normalize(address) ?? address;
        var index = Candidates.ToList().FindIndex(c => c.Address == normalized);
        return Candidates.Skip(index + 1).FirstOrDefault(c => c.Status == ContactStatus.Active);
    }
}
