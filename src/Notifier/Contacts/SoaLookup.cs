using System.Net;
using System.Text;
using DnsClient;
using DnsClient.Protocol;

namespace Notifier.Contacts;

/// <summary>
/// SOA RNAME (RFC 1035 3.3.13): the zone administrator's mailbox, first label the local part
/// (<c>hostmaster.example.com</c> → <c>hostmaster@example.com</c>, <c>john\.doe.example.com</c> →
/// <c>john.doe@example.com</c>). Asked for the registrable domain and for the reverse zone of the IP, whose
/// administrator is delegated by the address holder. When the queried name is not a zone apex the SOA arrives in
/// the authority section; that is the enclosing zone's and is used the same way.
/// </summary>
public sealed class SoaLookup(ContactDns dns, PublicSuffixList psl)
{
    private const string Source = "SOA";

    public Task<SourceResult> LookupAsync(DomainOrigin origin, CancellationToken ct) =>
        LookupAsync(origin.Domain, origin.TierOr(ContactTier.Soa), origin.Chain, ct);

    public Task<SourceResult> LookupReverseZoneAsync(IPAddress ip, CancellationToken ct) =>
        LookupAsync(ip.GetArpaName(), ContactTier.Soa, [], ct);

    private async Task<SourceResult> LookupAsync(string name, ContactTier tier, IReadOnlyList<ContactEvidence> chain, CancellationToken ct)
    {
        var soa = await dns.QueryAsync(name, QueryType.SOA, ct);
        var record = soa.Answers.OfType<SoaRecord>().FirstOrDefault() ?? soa.Authorities.OfType<SoaRecord>().FirstOrDefault();
        if (record is null) return SourceResult.Note(Source, soa.Query, soa.Failure ?? "no SOA record");
        var evidence = new ContactEvidence(soa.Query, DnsOutcome.Describe([record]));
        var address = ToMailbox(record.RName.Value);
        if (address is null)
            return SourceResult.Note(Source, soa.Query, $"RNAME \"{record.RName.Value}\" is not a usable mailbox");
        // "root@localhost" and "hostmaster@invalid" style RNAMEs are default configs, not contacts.
        if (psl.GetRegistrableDomain(ContactAddress.DomainOf(address)) is null)
            return SourceResult.Note(Source, soa.Query, $"RNAME \"{record.RName.Value}\" is not in a registrable domain");
        return new SourceResult([new FoundContact(address, ContactSource.Soa, tier, [.. chain, evidence, new ContactEvidence("RNAME " + record.RName.Value, address)])], []);
    }

    /// <summary>The mailbox an RNAME encodes, or null.</summary>
    public static string? ToMailbox(string rname)
    {
        var local = new StringBuilder();
        for (var i = 0; i < rname.Length; i++)
        {
            var c = rname[i];
            if (c == '\\' && i + 1 < rname.Length)
            {
                local.Append(rname[++i]);
                continue;
            }
            if (c == '.') return ContactAddress.Normalize(local + "@" + rname[(i + 1)..]);
            local.Append(c);
        }
        return null;
    }
}
