using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Hangfire;
using Notifier.Inbox;

namespace Notifier.Tests.Hosting;

/// <summary>The service with an inbox on a loopback port where nothing listens.</summary>
public sealed class UnreachableInboxNotifierFactory() : NotifierFactory(new Dictionary<string, string?>
{
    ["Inbox:Host"] = "127.0.0.1",
    ["Inbox:Port"] = LoopbackPort.Unused().ToString(System.Globalization.CultureInfo.InvariantCulture),
    ["Inbox:Tls"] = "None",
    ["Inbox:User"] = "canary",
    ["Inbox:Password"] = "secret",
});

/// <summary>/healthz says Degraded, and why, when the inbox cannot be read or no job server runs.</summary>
public sealed class HealthTests(UnreachableInboxNotifierFactory factory) : IClassFixture<UnreachableInboxNotifierFactory>
{
    private async Task<JsonElement> HealthAsync()
    {
        var r = await factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task Health_IsDegradedWithTheReason_WhenTheInboxPollFails()
    {
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var job = scope.ServiceProvider.GetRequiredService<InboxPollJob>();
            await Assert.ThrowsAnyAsync<SocketException>(() => job.RunAsync(CancellationToken.None));
        }

        var health = await HealthAsync();

        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        var inbox = health.GetProperty("checks").GetProperty("inbox");
        Assert.Equal("Degraded", inbox.GetProperty("status").GetString());
        var description = inbox.GetProperty("description").GetString()!;
        Assert.Contains("failing since", description, StringComparison.Ordinal);
        Assert.Contains("SocketException", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_IsDegradedWithTheReason_WhenNoJobServerRuns()
    {
        var storage = factory.Services.GetRequiredService<JobStorage>();
        Assert.Equal("Healthy", (await HealthAsync()).GetProperty("checks").GetProperty("jobs").GetProperty("status").GetString());

        // What Hangfire's watchdog does to a server that stopped sending heartbeats (its process hung or died). The
        // in-process server announces itself again only at its next heartbeat, 30 s later.
        using (var connection = storage.GetConnection())
        {
            foreach (var server in storage.GetMonitoringApi().Servers()) connection.RemoveServer(server.Name);
        }
        var jobs = (await HealthAsync()).GetProperty("checks").GetProperty("jobs");

        Assert.Equal("Degraded", jobs.GetProperty("status").GetString());
        Assert.Contains("Jobs:RunServer is true but no job server", jobs.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
