using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cases;

/// <summary>
/// A case reported through the API is probed by the workers against a real Postfix relay, on SQLite and on a real
/// PostgreSQL (a fresh database per test, Hangfire's storage in it).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class CaseEndToEndTests(Notifier.Tests.Lab.Lab lab) : IAsyncLifetime, IDisposable
{
    private NotifierFactory _factory = null!;
    private TestDatabase? _database;

    private async Task StartAsync(string provider)
    {
        var settings = new Dictionary<string, string?> { ["Probing:AllowPrivateTargets"] = "true" };
        if (provider == Notifier.Data.DatabaseProvider.Postgres)
        {
            _database = await TestPostgres.CreateDatabaseAsync();
            foreach (var (k, v) in _database.Settings) settings[k] = v;
        }
        _factory = new NotifierFactory(settings);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>After <see cref="DisposeAsync"/> (xunit calls both); disposing the factory twice is a no-op.</summary>
    public void Dispose() => _factory?.Dispose();

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    private static async Task<JsonElement> WaitForVerdictAsync(HttpClient client, int id, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        JsonElement detail = default;
        while (DateTime.UtcNow < deadline)
        {
            detail = JsonDocument.Parse(await client.GetStringAsync($"/api/cases/{id}")).RootElement;
            var probes = detail.GetProperty("probes");
            if (probes.GetArrayLength() > 0 && probes[0].GetProperty("verdict").ValueKind == JsonValueKind.String) return detail;
            await Task.Delay(250);
        }
        throw new TimeoutException($"no verdict within {within}: {detail}");
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PostedCase_GetsDataAcceptedProbeWithTranscript_WhenRelayIsOpenPostfix(string provider)
    {
        await StartAsync(provider);
        var client = await _factory.ClientWithKeyAsync();
        var ep = lab.EndPoint("OPEN");

        var created = await client.PostAsJsonAsync("/api/cases", new { address = ep.Address.ToString(), port = ep.Port, source = "e2e" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();

        var detail = await WaitForVerdictAsync(client, id, TimeSpan.FromSeconds(60));

        var probe = detail.GetProperty("probes")[0];
        Assert.Equal("data-accepted", probe.GetProperty("verdict").GetString());
        Assert.Equal("Suspected", detail.GetProperty("case").GetProperty("state").GetString());
        Assert.Contains(probe.GetProperty("transcript").EnumerateArray(), l => l.GetProperty("line").GetString()!.StartsWith("RCPT TO:", StringComparison.Ordinal));
        Assert.Equal("Postfix", probe.GetProperty("mta").GetString());
        var kinds = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["created", "state-changed", "probe-finished", "state-changed"], kinds);
        // The canary really went out through the relay, with the token the case recorded.
        Assert.NotNull(await lab.WaitForSinkMessageAsync(probe.GetProperty("token").GetString()!, TimeSpan.FromSeconds(30)));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task PostedCase_BecomesNotRelay_WhenPostfixIsClosed(string provider)
    {
        await StartAsync(provider);
        var client = await _factory.ClientWithKeyAsync();
        var ep = lab.EndPoint("CLOSED");

        var created = await client.PostAsJsonAsync("/api/cases", new { address = ep.Address.ToString(), port = ep.Port });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
        var detail = await WaitForVerdictAsync(client, id, TimeSpan.FromSeconds(60));

        Assert.Equal("closed", detail.GetProperty("probes")[0].GetProperty("verdict").GetString());
        Assert.Equal("NotRelay", detail.GetProperty("case").GetProperty("state").GetString());
    }
}
