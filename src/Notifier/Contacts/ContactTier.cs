namespace Notifier.Contacts;

/// <summary>
/// The ranking, best first; the numeric order IS the policy. Within RDAP the more specific network wins
/// (see <see cref="ContactRanking"/>). Anything derived from a PTR name that is not forward-confirmed lands in
/// <see cref="Unconfirmed"/>: whoever controls a reverse zone can point PTR at any name, so such a name says
/// nothing about who runs the host.
/// </summary>
public enum ContactTier
{
    Manual = 0,
    RdapAbuse = 1,
    AbuseNetLookup = 2,
    Rfc2142Confirmed = 3,
    Soa = 4,
    Unconfirmed = 5,
}
