using System.Net;
using Notifier.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Telemetry;

/// <summary>/metrics on the service's own port: for an API key as Prometheus sends it, never anonymous.</summary>
public sealed class MetricsEndpointTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    [Fact]
    public async Task Metrics_Returns401_WhenAnonymous()
    {
        var r = await factory.CreateClient().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.DoesNotContain("notifier_", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ServeTheNotifierMeterAsPrometheusText_WithAReadKeyAsBearer()
    {
        var client = await factory.ClientWithKeyAsync(ApiScope.Read);

        var r = await client.GetAsync("/metrics");
        var scrape = PrometheusScrape.Parse(await r.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/plain", r.Content.Headers.ContentType?.MediaType);
        // The case counts come from this service's database: every state is reported, zero included.
        Assert.Contains(scrape.Of("notifier_cases"), s => s.Labels.GetValueOrDefault("state") == "New");
        // The runtime's own meter (System.Runtime) comes along.
        Assert.Contains(scrape.Samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
    }
}
