using DnsClient;
using DnsClient.Protocol;

namespace Notifier.Contacts;

/// <summary>
/// RFC 2142 section 2-4: abuse@ ("inappropriate public behaviour") and postmaster@ (required by RFC 5321 4.5.1)
/// of the registrable domain. Only offered when the domain accepts mail at all: an MX that is not the null MX
/// (RFC 7505), or, without MX, an address record (the implicit MX of RFC 5321 5.1) — a guess that cannot be
/// delivered is a dead mailbox by construction.
/// </summary>
public sealed class Rfc2142Lookup(ContactDns dns)
{
    private const string Source = "RFC 2142";
    private static readonly string[] Mailboxes = ["abuse", "postmaster"];

    public async Task<SourceResult> LookupAsync(DomainOrigin origin, CancellationToken ct)
    {
        var mx = await dns.QueryAsync(origin.Domain, QueryType.MX, ct);
        if (mx.Failed) return SourceResult.Note(Source, mx.Query, mx.Failure!);
        var exchanges = mx.Answers.OfType<MxRecord>().ToList();
        ContactEvidence mailEvidence;
        if (exchanges.Count > 0)
        {
            if (exchanges.All(e => e.Exchange.Value is "." or ""))
                return SourceResult.Note(Source, mx.Query, "null MX (RFC 7505): the domain accepts no mail");
            mailEvidence = mx.Evidence;
        }
        else
        {
            var a = await dns.QueryAsync(origin.Domain, QueryType.A, ct);
            var aaaa = a.Answers.Count > 0 ? a : await dns.QueryAsync(origin.Domain, QueryType.AAAA, ct);
            if (aaaa.Answers.Count == 0)
                return SourceResult.Note(Source, mx.Query, "no MX and no address record: the domain receives no mail");
            mailEvidence = new ContactEvidence(mx.Query + " (none), then " + aaaa.Query, "implicit MX: " + DnsOutcome.Describe(aaaa.Answers));
        }
        var tier = origin.TierOr(ContactTier.Rfc2142Confirmed);
        var found = Mailboxes
            .Select(m => new FoundContact(m + "@" + origin.Domain, ContactSource.Rfc2142, tier,
                [.. origin.Chain, mailEvidence, new ContactEvidence("RFC 2142 " + m, $"{m}@{origin.Domain}")]))
            .ToList();
        return new SourceResult(found, []);
    }
}
