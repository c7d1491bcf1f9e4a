using DnsClient;
using Notifier.Telemetry;

namespace Notifier.Contacts;

/// <summary>
/// The one place contact lookups ask DNS. DnsClient throws for timeouts and unreachable servers even with
/// ThrowDnsErrors off; here every outcome becomes a <see cref="DnsOutcome"/>, so sources only branch on data.
/// Caching (respecting TTLs) is DnsClient's: the LookupClient singleton has UseCache on.
/// </summary>
public sealed class ContactDns(ILookupClient client, NotifierMetrics metrics)
{
    public async Task<DnsOutcome> QueryAsync(string name, QueryType type, CancellationToken ct)
    {
        var query = $"{type} {name}";
        try
        {
            var response = await client.QueryAsync(name, type, QueryClass.IN, ct);
            query += $" @{response.NameServer}";
            if (response.Header.ResponseCode is not (DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain))
                metrics.DnsFailed(type.ToString(), response.Header.ResponseCode.ToString());
            if (response.Header.ResponseCode != DnsHeaderResponseCode.NoError)
                return new DnsOutcome(query, [], response.Authorities.ToList(), DnsOutcome.Describe(response.Header.ResponseCode));
            return new DnsOutcome(query, response.Answers.ToList(), response.Authorities.ToList(), null);
        }
        catch (DnsResponseException e)
        {
            var why = e.Code == DnsResponseCode.ConnectionTimeout ? "timed out (no answer from the name servers)" : $"failed: {e.DnsError}";
            metrics.DnsFailed(type.ToString(), e.Code == DnsResponseCode.ConnectionTimeout ? "timeout" : e.Code.ToString());
            return new DnsOutcome(query, [], [], why);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            metrics.DnsFailed(type.ToString(), "timeout");
            return new DnsOutcome(query, [], [], "timed out");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Malformed answers and socket errors surface as assorted exception types; none may end the lookup.
            metrics.DnsFailed(type.ToString(), e.GetType().Name);
            return new DnsOutcome(query, [], [], $"failed: {e.GetType().Name}: {e.Message}");
        }
    }
}
