namespace Notifier.Tests.Hosting;

/// <summary>
/// Proxy:KnownNetworks as a container deployment uses it: the proxy's address is anywhere in a network, and its
/// X-Forwarded-Proto is believed only from there. Seen where a user sees it: an https request (as the proxy says)
/// gets HSTS, and a forged header from elsewhere changes nothing. The real service on loopback, so the proxy's address
/// is 127.0.0.1.
/// </summary>
public sealed class ProxyNetworkTests
{
    private static async Task<string?> HstsThroughProxyAsync(string knownNetwork)
    {
        var service = await RunningNotifier.StartAsync(new Dictionary<string, string>
        {
            ["Proxy:KnownNetworks:0"] = knownNetwork,
            ["Contacts:NameServers:0"] = "127.0.0.1:9",
            ["Contacts:RdapBootstrapUrl"] = "http://127.0.0.1:9/rdap/bootstrap.json",
        });
        try
        {
            using var client = new HttpClient { BaseAddress = service.BaseAddress };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
            // What a TLS proxy sends on: the public name (HSTS is never sent for localhost), the client, the scheme.
            request.Headers.Host = "desk.example";
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            request.Headers.Add("X-Forwarded-Proto", "https");
            using var response = await client.SendAsync(request);
            return response.Headers.TryGetValues("Strict-Transport-Security", out var values) ? string.Join(",", values) : null;
        }
        finally
        {
            await service.DisposeAsync();
        }
    }

    [Fact]
    public async Task ForwardedHttps_IsBelieved_FromAProxyInAKnownNetwork()
    {
        Assert.Equal("max-age=31536000", await HstsThroughProxyAsync("127.0.0.0/8"));
    }

    [Fact]
    public async Task ForwardedHttps_IsIgnored_FromAnAddressOutsideTheKnownNetworks()
    {
        // Loopback is trusted by ASP.NET Core's defaults; only the configured network may be.
        Assert.Null(await HstsThroughProxyAsync("10.0.0.0/8"));
    }

    [Fact]
    public async Task Start_Fails_OnANetworkThatIsNotCidr()
    {
        var (code, stdout, stderr) = await NotifierProcess.RunAsync([], new Dictionary<string, string>
        {
            ["Notifier__Urls"] = "http://127.0.0.1:0",
            ["Notifier__Proxy__KnownNetworks__0"] = "172.18.0.0/33",
        }, Directory.CreateTempSubdirectory("notifier-proxy-").FullName);

        Assert.NotEqual(0, code);
        Assert.Contains("Proxy:KnownNetworks: \"172.18.0.0/33\" is not a network in CIDR notation", stdout + stderr, StringComparison.Ordinal);
    }
}
