using System.Net;

namespace Notifier.Contacts.Rdap;

/// <summary>
/// What RDAP said about one address: the most specific network first, then its parents (via "up" links), plus
/// how the registry was chosen. Cached and reused for other addresses of the same network.
/// </summary>
public sealed record RdapChain(IPAddress QueriedFor, ContactEvidence? Bootstrap, IReadOnlyList<RdapFetch> Fetches, IReadOnlyList<LookupNote> Notes)
{
    public RdapNetwork? Network => Fetches.Count > 0 ? Fetches[0].Network : null;
}
