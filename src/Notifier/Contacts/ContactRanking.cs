using System.Net;

namespace Notifier.Contacts;

/// <summary>
/// The selection policy, pure and table-tested. Order: <see cref="ContactTier"/> (manual &gt; RDAP abuse &gt;
/// abuse.net lookup &gt; RFC 2142 on a forward-confirmed name &gt; SOA &gt; unconfirmed); within manual, preferred
/// before added; within RDAP, the longer prefix (more specific network) first; then the order sources reported.
/// An address found by several sources is one candidate at its best tier with all their evidence.
/// Status, strongest first: suppressed (absolute, even for manual entries) &gt; operator-disabled &gt; bounced &gt; active.
/// </summary>
public static class ContactRanking
{
    public static ContactConfidence ConfidenceOf(ContactTier tier) => tier switch
    {
        ContactTier.Manual or ContactTier.RdapAbuse => ContactConfidence.High,
        ContactTier.AbuseNetLookup or ContactTier.Rfc2142Confirmed => ContactConfidence.Medium,
        _ => ContactConfidence.Low,
    };

    public static RankedContacts Rank(ContactLookupResult lookup, ContactPolicy policy) =>
        Rank(lookup.Ip, lookup.ConfirmedDomains, lookup.Found, policy);

    public static RankedContacts Rank(IPAddress ip, IReadOnlyCollection<string> confirmedDomains, IEnumerable<FoundContact> found, ContactPolicy policy)
    {
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        var order = 0;
        foreach (var f in found)
        {
            var address = ContactAddress.Normalize(f.Address);
            if (address is null) continue;
            if (!groups.TryGetValue(address, out var g)) groups[address] = g = new Group(address, order++);
            g.Found.Add(f);
        }

        var disabled = new Dictionary<string, ManualContact>(StringComparer.Ordinal);
        foreach (var m in policy.Manual.Where(m => m.Scope.AppliesTo(ip, confirmedDomains)))
        {
            var address = ContactAddress.Normalize(m.Address);
            if (address is null) continue;
            if (m.Action == ManualContactAction.Disable)
            {
                disabled.TryAdd(address, m);
                continue;
            }
            if (!groups.TryGetValue(address, out var g)) groups[address] = g = new Group(address, order++);
            g.ManualOrder = Math.Min(g.ManualOrder, m.Action == ManualContactAction.Prefer ? 0 : 1);
            g.ManualEvidence.Add(new ContactEvidence($"manual ({m.Scope})",
                $"{(m.Action == ManualContactAction.Prefer ? "preferred" : "added")} by {m.AddedBy}{(m.Reason is null ? "" : ": " + m.Reason)}"));
        }

        var ranked = groups.Values
            .OrderBy(g => g.Tier)
            .ThenBy(g => g.ManualOrder)
            .ThenByDescending(g => g.Tier == ContactTier.RdapAbuse ? g.BestPrefix ?? -1 : -1)
            .ThenBy(g => g.Order)
            .Select((g, i) => ToCandidate(i + 1, g, policy, disabled))
            .ToList();
        return new RankedContacts(ranked);
    }

    private static ContactCandidate ToCandidate(int rank, Group g, ContactPolicy policy, Dictionary<string, ManualContact> disabled)
    {
        var (status, reason) = StatusOf(g.Address, policy, disabled);
        var best = g.Found.OrderBy(f => f.Tier).ThenByDescending(f => f.NetworkPrefixLength ?? -1).FirstOrDefault();
        var evidence = g.ManualEvidence
            .Concat(g.Found.OrderBy(f => f.Tier).ThenByDescending(f => f.NetworkPrefixLength ?? -1).SelectMany(f => f.Evidence))
            .Distinct()
            .ToList();
        var sources = (g.ManualEvidence.Count > 0 ? [ContactSource.Manual] : Array.Empty<ContactSource>())
            .Concat(g.Found.OrderBy(f => f.Tier).Select(f => f.Source)).Distinct().ToList();
        return new ContactCandidate(rank, g.Address, sources[0], sources, g.Tier, ConfidenceOf(g.Tier), status, reason,
            best?.Source == ContactSource.Rdap ? best.NetworkPrefixLength : null, evidence,
            g.Found.Where(f => f.Source == ContactSource.Rdap).OrderBy(f => f.Tier).ThenByDescending(f => f.NetworkPrefixLength ?? -1).Select(f => f.Country).FirstOrDefault(cc => cc is not null));
    }

    private static (ContactStatus, string?) StatusOf(string address, ContactPolicy policy, Dictionary<string, ManualContact> disabled)
    {
        if (policy.Suppressions.FirstOrDefault(s => s.Matches(address)) is { } s)
            return (ContactStatus.Suppressed, $"suppressed ({(s.IsDomain ? "domain " : "address ")}{s.Value}) by {s.AddedBy}: {s.Reason}");
        if (disabled.TryGetValue(address, out var d))
            return (ContactStatus.OperatorDisabled, $"disabled by {d.AddedBy} ({d.Scope}){(d.Reason is null ? "" : ": " + d.Reason)}");
        if (policy.Bounces.Where(b => ContactAddress.Normalize(b.Address) == address).OrderByDescending(b => b.At).FirstOrDefault() is { } b)
            return (ContactStatus.Bounced, $"bounced {b.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z{(b.Diagnostic is null ? "" : ": " + b.Diagnostic)}");
        return (ContactStatus.Active, null);
    }

    private sealed class Group(string address, int order)
    {
        public string Address { get; } = address;
        public int Order { get; } = order;
        public List<FoundContact> Found { get; } = [];
        public List<ContactEvidence> ManualEvidence { get; } = [];
        public int ManualOrder { get; set; } = int.MaxValue;
        public ContactTier Tier => ManualEvidence.Count > 0 ? ContactTier.Manual : Found.Min(f => f.Tier);
        public int? BestPrefix => Found.Where(f => f.Tier == ContactTier.RdapAbuse).Max(f => f.NetworkPrefixLength);
    }
}
