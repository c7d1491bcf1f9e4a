using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Notifier.Telemetry;

namespace Notifier.Contacts.Rdap;

/// <summary>
/// HTTP GET of RDAP objects. No blind retries: the RIRs rate-limit per client (RIPE, ARIN and APNIC answer 429),
/// and retrying makes it worse. A 429 instead pauses that registry for its Retry-After (60 s when absent); lookups
/// meanwhile record "rate limited" and the network cache keeps repeat lookups off the wire.
/// Redirects (ARIN sends queries for transferred space to the holding RIR) are followed by HttpClient.
/// </summary>
public sealed class RdapClient(IHttpClientFactory http, IOptions<ContactsOptions> options, TimeProvider time, NotifierMetrics metrics)
{
    public const string HttpClientName = "rdap";
    private static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.OrdinalIgnoreCase);

    public async Task<RdapFetch> GetAsync(Uri url, CancellationToken ct)
    {
        if (_pausedUntil.TryGetValue(url.Authority, out var until) && time.GetUtcNow() < until)
            return new RdapFetch(url, null, null, $"not asked: {url.Authority} rate-limited us (429) until {until:u}");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var wait = response.Headers.RetryAfter?.Delta
                    ?? (response.Headers.RetryAfter?.Date is { } date ? date - time.GetUtcNow() : DefaultRetryAfter);
                var resume = time.GetUtcNow() + (wait > TimeSpan.Zero ? wait : DefaultRetryAfter);
                _pausedUntil[url.Authority] = resume;
                metrics.RdapRateLimited(url.Host);
                return new RdapFetch(url, status, null, $"429 Too Many Requests; {url.Authority} paused until {resume:u}");
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
                return new RdapFetch(url, status, null, "404: the registry has no network for this address");
            if (!response.IsSuccessStatusCode)
                return new RdapFetch(url, status, null, $"HTTP {status} {response.ReasonPhrase}");
            var body = await response.Content.ReadAsStringAsync(ct);
            var (network, failure) = RdapParser.Parse(body, response.RequestMessage?.RequestUri ?? url);
            return new RdapFetch(url, status, network, failure is null ? null : $"HTTP {status} but {failure}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new RdapFetch(url, null, null, $"timed out after {options.Value.RdapTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            // Also raised when the body exceeds MaxResponseContentBufferSize (Contacts:MaxRdapResponseBytes).
            return new RdapFetch(url, null, null, $"request failed: {e.Message}");
        }
    }
}
