namespace Notifier.Contacts.Rdap;

/// <summary>One RDAP request: the network it returned, or why not (status, timeout, bad JSON, rate limit).</summary>
public sealed record RdapFetch(Uri Url, int? Status, RdapNetwork? Network, string? Failure)
{
    public ContactEvidence Evidence => new("RDAP GET " + Url,
        Network is null ? Failure ?? "no network" : $"{Status} {Network.Describe()}; abuse: {(Network.Abuse.Count == 0 ? "none" : string.Join(", ", Network.Abuse.Select(a => $"{a.Email} (entity {a.EntityPath})")))}");
}
