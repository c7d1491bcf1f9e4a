using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>A defect inside the probe must end in a recorded, bounded retry, not a job that re-runs forever.</summary>
public sealed class ProbeJobFailureTests : IDisposable
{
    private sealed class BrokenProbe : IRelayProbe
    {
        public Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("simulated defect");

        public Task<ProbeResult> SendTestMessageAsync(TestMessageRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("simulated defect");
    }

    private readonly DefaultNotifierFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task ProbeJob_DefersCaseWithReason_WhenTheProbeThrows()
    {
        using var factory = _factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IRelayProbe, BrokenProbe>()));
        var client = factory.CreateClient();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var (_, key) = await scope.ServiceProvider.GetRequiredService<Notifier.Auth.ApiKeys>().CreateAsync("broken", "write", CancellationToken.None);
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        }
        var created = await client.PostAsJsonAsync("/api/cases", new { address = "77.88.7.7" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();

        JsonElement detail = default;
        for (var i = 0; i < 240; i++) // up to 60 s: a loaded CI machine runs many job servers at once
        {
            detail = JsonDocument.Parse(await client.GetStringAsync($"/api/cases/{id}")).RootElement;
            if (detail.GetProperty("case").GetProperty("state").GetString() == "Deferred") break;
            await Task.Delay(250);
        }

        Assert.Equal("Deferred", detail.GetProperty("case").GetProperty("state").GetString());
        Assert.Equal("probe", detail.GetProperty("case").GetProperty("nextAction").GetString());
        var probe = detail.GetProperty("probes")[0];
        Assert.Equal("skipped", probe.GetProperty("status").GetString());
        Assert.Contains("simulated defect", probe.GetProperty("reason").GetString());
        Assert.Contains(detail.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "probe-failed");
    }
}
