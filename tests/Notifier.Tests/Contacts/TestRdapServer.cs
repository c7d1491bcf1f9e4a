using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Contacts;

/// <summary>
/// Kestrel on 127.0.0.1 playing IANA (bootstrap files under /bootstrap/) and the registries (/ripe/, /arin/,
/// /apnic/ serve the JSON fixtures; /errors/ answers 404, 429, 500, garbage or late, chosen by address).
/// Networks are matched like a registry does: an address query gets the most specific network holding it, a
/// CIDR query ("ip/192.0.2.0/24", from "up" links) gets exactly that network.
/// </summary>
public sealed class TestRdapServer : IAsyncDisposable
{
    private static readonly string FixtureDirectory = Path.Combine(AppContext.BaseDirectory, "Contacts", "Fixtures", "Rdap");

    private LoopbackWebServer _web = null!;
    private readonly List<(string Registry, System.Net.IPNetwork Network, string File)> _networks =
    [
        ("ripe", System.Net.IPNetwork.Parse("192.0.2.0/24"), "ripe-192.0.2.0-24.json"),
        ("ripe", System.Net.IPNetwork.Parse("192.0.2.0/25"), "ripe-192.0.2.0-25.json"),
        ("ripe", System.Net.IPNetwork.Parse("198.19.0.0/24"), "ripe-198.19.0.0-24.json"),
        ("ripe", System.Net.IPNetwork.Parse("2001:db8:1::/48"), "ripe-2001-db8-1--48.json"),
        ("arin", System.Net.IPNetwork.Parse("198.51.100.0/24"), "arin-198.51.100.0-24.json"),
        ("arin", System.Net.IPNetwork.Parse("198.51.100.64/26"), "arin-198.51.100.64-26.json"),
        ("apnic", System.Net.IPNetwork.Parse("203.0.113.0/24"), "apnic-203.0.113.0-24.json"),
        ("apnic", System.Net.IPNetwork.Parse("203.0.113.128/25"), "apnic-203.0.113.128-25.json"),
    ];

    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);

    public string BaseUrl { get; private set; } = "";

    public string BootstrapUrl => BaseUrl + "/bootstrap/";

    /// <summary>Delay of the /errors/ "slow" address (198.18.0.99).</summary>
    public static TimeSpan SlowDelay { get; } = TimeSpan.FromSeconds(5);

    public static async Task<TestRdapServer> StartAsync()
    {
        var server = new TestRdapServer();
        server._web = await LoopbackWebServer.StartAsync(app =>
        {
            app.MapGet("/bootstrap/{file}", server.Bootstrap);
            app.MapGet("/{registry}/ip/{**query}", server.IpAsync);
        });
        server.BaseUrl = server._web.BaseUrl;
        return server;
    }

    /// <summary>Requests so far whose path starts with <paramref name="pathPrefix"/>, e.g. "/ripe/ip/198.19.".</summary>
    public int Hits(string pathPrefix) => _hits.Where(h => h.Key.StartsWith(pathPrefix, StringComparison.Ordinal)).Sum(h => h.Value);

    private IResult Bootstrap(string file)
    {
        _hits.AddOrUpdate("/bootstrap/" + file, 1, (_, n) => n + 1);
        string Service(string registry, params string[] prefixes) =>
            $"[[{string.Join(",", prefixes.Select(p => $"\"{p}\""))}], [\"{BaseUrl}/{registry}/\"]]";
        return file switch
        {
            "ipv4.json" => Json($$"""
                { "description": "test bootstrap", "publication": "2025-01-01T00:00:00Z", "version": "1.0", "services": [
                  {{Service("ripe", "192.0.2.0/24", "198.19.0.0/16")}},
                  {{Service("arin", "198.51.100.0/24")}},
                  {{Service("apnic", "203.0.113.0/24")}},
                  {{Service("errors", "198.18.0.0/16")}} ] }
                """),
            "ipv6.json" => Json($$"""
                { "description": "test bootstrap", "publication": "2025-01-01T00:00:00Z", "version": "1.0", "services": [
                  {{Service("ripe", "2001:db8::/32")}} ] }
                """),
            _ => Results.NotFound(),
        };
    }

    private async Task<IResult> IpAsync(HttpContext context, string registry, string query)
    {
        _hits.AddOrUpdate($"/{registry}/ip/{query}", 1, (_, n) => n + 1);
        if (registry == "errors") return await ErrorAsync(context, query);
        (string, System.Net.IPNetwork, string)? match;
        if (query.Contains('/', StringComparison.Ordinal))
        {
            var wanted = System.Net.IPNetwork.Parse(query);
            match = _networks.FirstOrDefault(n => n.Registry == registry && n.Network.Equals(wanted));
        }
        else
        {
            var ip = IPAddress.Parse(query);
            match = _networks.Where(n => n.Registry == registry && n.Network.Contains(ip)).OrderByDescending(n => n.Network.PrefixLength).FirstOrDefault();
        }
        if (match is not { Item3: not null } m) return NotFound();
        var text = await File.ReadAllTextAsync(Path.Combine(FixtureDirectory, m.Item3));
        return Json(text.Replace("{base}", BaseUrl, StringComparison.Ordinal));
    }

    private static async Task<IResult> ErrorAsync(HttpContext context, string query)
    {
        switch (query)
        {
            case "198.18.0.29":
                context.Response.Headers.RetryAfter = "120";
                return Results.StatusCode(429);
            case "198.18.0.50":
                return Results.StatusCode(500);
            case "198.18.0.77":
                return Json("{ \"objectClassName\": \"ip network\", \"startAddress\": \"198.18.0.0\", ");
            case "198.18.0.88":
                return Json("{ \"objectClassName\": \"ip network\", \"startAddress\": \"198.18.0.0\", \"endAddress\": \"198.18.0.255\", \"entities\": [], \"padding\": \"" + new string('x', 200_000) + "\" }");
            case "198.18.0.99":
                await Task.Delay(SlowDelay, context.RequestAborted);
                return Results.StatusCode(500);
            default:
                return NotFound();
        }
    }

    private static IResult NotFound() =>
        Results.Text("""{ "errorCode": 404, "title": "Not Found", "description": ["No network found"] }""", "application/rdap+json", statusCode: 404);

    private static IResult Json(string text) => Results.Text(text, "application/rdap+json");

    public ValueTask DisposeAsync() => _web.DisposeAsync();
}
