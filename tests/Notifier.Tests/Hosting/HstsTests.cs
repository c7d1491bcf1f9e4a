using Microsoft.AspNetCore.Mvc.Testing;

namespace Notifier.Tests.Hosting;

/// <summary>The service behind a TLS proxy (Proxy:KnownProxies set).</summary>
public sealed class ProxiedNotifierFactory() : NotifierFactory(new Dictionary<string, string?> { ["Proxy:KnownProxies:0"] = "127.0.0.1" });

/// <summary>HSTS (RFC 6797) where https is how the service is reached, and nowhere else.</summary>
public sealed class HstsTests(ProxiedNotifierFactory proxied, DefaultNotifierFactory direct) : IClassFixture<ProxiedNotifierFactory>, IClassFixture<DefaultNotifierFactory>
{
    private static async Task<string?> HstsAsync(NotifierFactory factory, string baseAddress)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(baseAddress), AllowAutoRedirect = false });
        var r = await client.GetAsync("/login");
        return r.Headers.TryGetValues("Strict-Transport-Security", out var values) ? string.Join(",", values) : null;
    }

    [Fact]
    public async Task Https_SendsHstsForAYear_WhenBehindAConfiguredProxy()
    {
        Assert.Equal("max-age=31536000", await HstsAsync(proxied, "https://desk.example/"));
    }

    [Fact]
    public async Task PlainHttp_SendsNoHsts_WhenBehindAConfiguredProxy()
    {
        // Over http the header means nothing (RFC 6797 §7.2), and a first start on http://localhost must not be pinned.
        Assert.Null(await HstsAsync(proxied, "http://desk.example/"));
    }

    [Fact]
    public async Task Https_SendsNoHsts_WhenNoProxyOrTlsIsConfigured()
    {
        Assert.Null(await HstsAsync(direct, "https://desk.example/"));
    }
}
