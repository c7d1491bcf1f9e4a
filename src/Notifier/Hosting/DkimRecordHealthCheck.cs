using DnsClient;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Hosting;

/// <summary>
/// Whether the DKIM keys we sign with are published: for the test messages' key (Probing:DkimKeyFile) and the
/// notices' key (Notices:DkimKeyFile), the TXT record at <c>selector._domainkey.domain</c> must carry our public
/// key in its <c>p=</c> tag (RFC 6376 §3.6.1); otherwise receivers see our signature fail, which weakens the
/// evidence and sends notices to spam. Missing or different: a warning (Degraded, the service still works)
/// with the record to publish. Asked through the configured name servers (Contacts:NameServers), as a receiver would.
/// </summary>
public sealed class DkimRecordHealthCheck(ILookupClient dns, DkimKey testMessageKey, NoticeSigner noticeSigner) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var keys = new List<(string Purpose, TestMessageSigner Key)>();
        if (testMessageKey.Signer is { } t) keys.Add(("test messages", t));
        if (noticeSigner.Key is { } n && !keys.Any(k => k.Key.RecordName == n.RecordName && k.Key.PublicKey == n.PublicKey)) keys.Add(("notices", n));
        if (keys.Count == 0) return HealthCheckResult.Healthy("nothing is DKIM-signed (Probing:DkimKeyFile and Notices:DkimKeyFile are empty)");
        var problems = new List<string>();
        foreach (var (purpose, key) in keys)
        {
            if (await ProblemAsync(key, cancellationToken) is { } problem) problems.Add($"{purpose}: {problem}");
        }
        var checkedNames = string.Join(", ", keys.Select(k => k.Key.RecordName));
        return problems.Count == 0
            ? HealthCheckResult.Healthy($"published and matching: {checkedNames}")
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", problems));
    }

    private async Task<string?> ProblemAsync(TestMessageSigner key, CancellationToken ct)
    {
        IDnsQueryResponse response;
        try
        {
            response = await dns.QueryAsync(key.RecordName, QueryType.TXT, QueryClass.IN, ct);
        }
        catch (DnsResponseException e)
        {
            return $"the DKIM record {key.RecordName} could not be looked up ({e.DnsError}); it should be: {key.DnsRecord}";
        }
        // A record is the concatenation of its strings (RFC 6376 §3.6.2.2); tags are "name=value" separated by ";".
        var published = response.Answers.TxtRecords()
            .Select(r => string.Concat(r.Text))
            .Select(PublicKeyTag)
            .ToList();
        if (published.Count == 0)
            return $"no DKIM record at {key.RecordName} ({response.Header.ResponseCode}): publish {key.DnsRecord}";
        if (published.Contains(key.PublicKey, StringComparer.Ordinal)) return null;
        return $"the DKIM record at {key.RecordName} carries another key ({(published.All(string.IsNullOrEmpty) ? "revoked: empty p=" : "p= differs")}): publish {key.DnsRecord}";
    }

    /// <summary>The <c>p=</c> value with folding whitespace removed (RFC 6376 §3.2), or "" when there is none.</summary>
    private static string PublicKeyTag(string record) => record.Split(';')
        .Select(tag => tag.Split('=', 2))
        .Where(kv => kv.Length == 2 && kv[0].Trim() == "p")
        .Select(kv => string.Concat(kv[1].Where(c => !char.IsWhiteSpace(c))))
        .FirstOrDefault() ?? "";
}
