using System.Net;
using System.Net.Sockets;
using DnsClient;
using Microsoft.Extensions.Options;

namespace Notifier.Contacts;

/// <summary>
/// PTR names of an IP, each checked by forward confirmation (FCrDNS): the name's A (or AAAA, for IPv6) records
/// must contain the IP. Only the owner of the forward zone can make that true.
/// </summary>
public sealed class ReverseDnsLookup(ContactDns dns, IOptions<ContactsOptions> options)
{
    public sealed record Result(IReadOnlyList<PtrName> Names, IReadOnlyList<LookupNote> Notes);

    public async Task<Result> LookupAsync(IPAddress ip, CancellationToken ct)
    {
        var notes = new List<LookupNote>();
        var ptr = await dns.QueryAsync(ip.GetArpaName(), QueryType.PTR, ct);
        if (ptr.Failed)
        {
            notes.Add(new LookupNote("reverse DNS", ptr.Query, ptr.Failure!));
            return new Result([], notes);
        }
        var targets = ptr.Answers.OfType<DnsClient.Protocol.PtrRecord>()
            .Select(r => DomainNames.ToAscii(r.PtrDomainName.Value))
            .Distinct()
            .ToList();
        if (targets.Count == 0)
        {
            notes.Add(new LookupNote("reverse DNS", ptr.Query, "no PTR record"));
            return new Result([], notes);
        }
        if (targets.Any(t => t is null)) notes.Add(new LookupNote("reverse DNS", ptr.Query, "a PTR target is not a valid host name; ignored"));
        var max = options.Value.MaxPtrNames;
        var valid = targets.OfType<string>().ToList();
        if (valid.Count > max) notes.Add(new LookupNote("reverse DNS", ptr.Query, $"{valid.Count} PTR names; only the first {max} are followed"));
        var names = await Task.WhenAll(valid.Take(max).Select(name => ConfirmAsync(ip, name, ptr.Evidence, notes, ct)));
        return new Result(names, notes);
    }

    private async Task<PtrName> ConfirmAsync(IPAddress ip, string name, ContactEvidence ptrEvidence, List<LookupNote> notes, CancellationToken ct)
    {
        var type = ip.AddressFamily == AddressFamily.InterNetworkV6 ? QueryType.AAAA : QueryType.A;
        var forward = await dns.QueryAsync(name, type, ct);
        var addresses = forward.Answers.Select(r => r switch
        {
            DnsClient.Protocol.ARecord a => a.Address,
            DnsClient.Protocol.AaaaRecord a => a.Address,
            _ => null,
        }).OfType<IPAddress>();
        var confirmed = !forward.Failed && addresses.Any(a => a.Equals(ip));
        var verdict = confirmed ? $"forward-confirmed: {name} has {ip}" : $"NOT forward-confirmed: {name} does not resolve to {ip}";
        if (!confirmed)
        {
            lock (notes) notes.Add(new LookupNote("reverse DNS", forward.Query, forward.Failure ?? verdict));
        }
        return new PtrName(name, confirmed, [ptrEvidence, forward.Evidence, new ContactEvidence("FCrDNS " + name, verdict)]);
    }
}
