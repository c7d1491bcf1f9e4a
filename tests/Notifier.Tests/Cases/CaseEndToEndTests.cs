using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cases;

/// <summary>A case reported through the API is probed by the workers against a real Postfix relay.</summary>
[Collection(LabCollection.Name)]
public sealed class CaseEndToEndTests(Notifier.Tests.Lab.Lab lab) : IDisposable
{
    private readonly LabNotifierFactory _factory = new();

    public void Dispose() => _factory.Dispose();

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

    [Fact]
    public async Task PostedCase_GetsDataAcceptedProbeWithTranscript_WhenRelayIsOpenPostfix()
    {
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
        Assert.Equal(["created", "state-changed", "probe-queued", "probe-finished", "state-changed"], kinds);
        // The canary really went out through the relay, with the token the case recorded.
        Assert.NotNull(await lab.WaitForSinkMessageAsync(probe.GetProperty("token").GetString()!, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task PostedCase_BecomesNotRelay_WhenPostfixIsClosed()
    {
        var client = await _factory.ClientWithKeyAsync();
        var ep = lab.EndPoint("CLOSED");

        var created = await client.PostAsJsonAsync("/api/cases", new { address = ep.Address.ToString(), port = ep.Port });
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
        var detail = await WaitForVerdictAsync(client, id, TimeSpan.FromSeconds(60));

        Assert.Equal("closed", detail.GetProperty("probes")[0].GetProperty("verdict").GetString());
        Assert.Equal("NotRelay", detail.GetProperty("case").GetProperty("state").GetString());
    }
}
