using System.Net;
using DnsClient;
using Notifier.Contacts.Rdap;

namespace Notifier.Contacts;

/// <summary>
/// Runs every source for one IP and gathers what they found and why the rest found nothing. RDAP and reverse DNS
/// run side by side; the domain sources (abuse.net, RFC 2142, SOA) follow from the PTR names. No database: the
/// CLI prints the result, the job stores it and ranks it with <see cref="ContactRanking"/>.
/// </summary>
public sealed class ContactLookup(
    RdapLookup rdap,
    ReverseDnsLookup reverseDns,
    PublicSuffixList psl,
    AbuseNetLookup abuseNet,
    Rfc2142Lookup rfc2142,
    SoaLookup soa,
    TimeProvider time,
    ILogger<ContactLookup> logger)
{
    public async Task<ContactLookupResult> LookupAsync(IPAddress ip, CancellationToken ct)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        var started = time.GetUtcNow();
        var rdapTask = Guard("RDAP", ip.ToString(), () => rdap.LookupAsync(ip, ct), ct);
        var reverseZoneTask = Guard("SOA", ip.GetArpaName(), () => soa.LookupReverseZoneAsync(ip, ct), ct);
        var reverse = await reverseDns.LookupAsync(ip, ct);

        var origins = Origins(reverse.Names, out var pslNotes);
        var domainTasks = origins.SelectMany(o => new[]
        {
            Guard("abuse.net", o.Domain, () => abuseNet.LookupAsync(o, ct), ct),
            Guard("RFC 2142", o.Domain, () => rfc2142.LookupAsync(o, ct), ct),
            Guard("SOA", o.Domain, () => soa.LookupAsync(o, ct), ct),
        }).ToList();

        var rdapResult = await rdapTask;
        var results = new List<SourceResult> { rdapResult };
        results.AddRange(await Task.WhenAll(domainTasks));
        results.Add(await reverseZoneTask);
        var notes = reverse.Notes.Concat(pslNotes).Concat(results.SelectMany(r => r.Notes)).ToList();
        var found = results.SelectMany(r => r.Found).ToList();
        logger.LogInformation("Contact lookup for {Ip}: {Found} addresses, {Notes} notes", ip, found.Count, notes.Count);
        return new ContactLookupResult(ip, started, time.GetUtcNow(), found, notes, reverse.Names,
            origins.Where(o => o.Confirmed).Select(o => o.Domain).ToList(), rdapResult.Network);
    }

    /// <summary>One origin per registrable domain; confirmed when any PTR name leading to it is.</summary>
    private List<DomainOrigin> Origins(IReadOnlyList<PtrName> names, out List<LookupNote> notes)
    {
        notes = [];
        var origins = new List<DomainOrigin>();
        foreach (var name in names.OrderByDescending(n => n.ForwardConfirmed))
        {
            var domain = psl.GetRegistrableDomain(name.Name);
            if (domain is null)
            {
                notes.Add(new LookupNote("Public Suffix List", name.Name, "the name is a public suffix or invalid; no registrable domain"));
                continue;
            }
            if (origins.Any(o => o.Domain == domain)) continue;
            var shown = DomainNames.ToUnicode(domain) is var u && u != domain ? $"{domain} ({u})" : domain;
            origins.Add(new DomainOrigin(domain, name.ForwardConfirmed, [.. name.Evidence, new ContactEvidence("Public Suffix List: " + name.Name, "registrable domain " + shown)]));
        }
        return origins;
    }

    /// <summary>The last line of defence: a bug in one source costs its candidates, never the lookup.</summary>
    private async Task<SourceResult> Guard(string source, string query, Func<Task<SourceResult>> run, CancellationToken ct)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Contact source {Source} failed for {Query}", source, query);
            return SourceResult.Note(source, query, $"failed unexpectedly: {e.GetType().Name}: {e.Message}");
        }
    }
}
