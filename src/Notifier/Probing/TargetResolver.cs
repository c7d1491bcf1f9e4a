using System.Net;
using DnsClient;

namespace Notifier.Probing;

/// <summary>Turns what a user typed (IP, host name, <c>mx:domain</c>) into the address to probe.</summary>
public sealed class TargetResolver(ILookupClient dns)
{
    public sealed record Resolved(IPAddress Address, string? Name, IReadOnlyList<string> Notes);

    public async Task<Resolved> ResolveAsync(string host, CancellationToken ct)
    {
        if (IpAddressText.Parse(host) is { } ip) return new Resolved(ip, null, []);

        var notes = new List<string>();
        var name = host.Trim();
        if (name.StartsWith("mx:", StringComparison.OrdinalIgnoreCase))
        {
            var domain = name[3..];
            CheckName(domain);
            var mx = await dns.QueryAsync(domain, QueryType.MX, cancellationToken: ct);
            var best = mx.Answers.MxRecords().OrderBy(r => r.Preference).FirstOrDefault()
                ?? throw new ProbeRequestException($"{domain} has no MX record ({(mx.HasError ? mx.ErrorMessage : "no answer")})");
            name = best.Exchange.Value.TrimEnd('.');
            notes.Add($"MX of {domain}: {name} (preference {best.Preference})");
        }
        CheckName(name);
        var addresses = new List<IPAddress>();
        foreach (var type in new[] { QueryType.A, QueryType.AAAA })
        {
            var answer = await dns.QueryAsync(name, type, cancellationToken: ct);
            addresses.AddRange(answer.Answers.ARecords().Select(a => a.Address));
            addresses.AddRange(answer.Answers.AaaaRecords().Select(a => a.Address));
        }
        if (addresses.Count == 0) throw new ProbeRequestException($"{name} has no A or AAAA record");
        if (addresses.Count > 1) notes.Add($"{name} has {addresses.Count} addresses; probing {addresses[0]}");
        return new Resolved(addresses[0], name, notes);
    }

    private static void CheckName(string name)
    {
        if (IpAddressText.LooksLikeIPv4(name))
            throw new ProbeRequestException($"\"{name}\" is not a valid IPv4 address: write four decimal numbers from 0 to 255 without leading zeros, such as 192.0.2.1");
        if (Uri.CheckHostName(name) != UriHostNameType.Dns || !name.Contains('.', StringComparison.Ordinal))
            throw new ProbeRequestException($"\"{name}\" is not an IP address or a host name");
    }
}
