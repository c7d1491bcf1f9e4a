namespace Notifier.Contacts;

/// <summary>
/// Never mail this address, or any address at this domain or below it (e.g. an operator who asked us to stop, or a
/// domain known to be a spam trap). Absolute: it overrides manual entries too. <paramref name="Value"/> with an "@"
/// is an address, without one a domain.
/// </summary>
public sealed record ContactSuppression(string Value, string Reason, string AddedBy)
{
    public bool IsDomain => !Value.Contains('@', StringComparison.Ordinal);

    /// <summary>True when the normalized <paramref name="address"/> falls under this suppression.</summary>
    public bool Matches(string address)
    {
        if (!IsDomain) return ContactAddress.Normalize(Value) == address;
        var domain = DomainNames.ToAscii(Value.TrimStart('@', '.'));
        return domain is not null && DomainNames.IsEqualOrBelow(ContactAddress.DomainOf(address), domain);
    }
}
