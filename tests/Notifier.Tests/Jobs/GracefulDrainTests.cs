using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Jobs;

/// <summary>
/// SIGTERM (systemctl stop, docker stop) while a probe is in its dialogue: the service waits for the probe
/// (Jobs:DrainTimeout), records it, and exits 0, rather than leaving it to be run again after its lease.
/// </summary>
[Collection(LabBesideCollection.Name)]
public sealed class GracefulDrainTests(Notifier.Tests.Lab.Lab lab)
{
    [Fact]
    public async Task ProbeInItsDialogue_IsFinishedAndRecorded_AndTheServiceExitsZero_WhenItGetsSigterm()
    {
        await using var relay = new HoldingSmtpProxy(lab.EndPoint("OPEN"));
        await using var service = await RunningNotifier.StartAsync(new Dictionary<string, string>
        {
            ["Probing:AllowPrivateTargets"] = "true",
            ["Probing:MaxTestMessages"] = "1",
            ["Jobs:DrainTimeout"] = "00:00:40",
        });
        using var api = new HttpClient { BaseAddress = service.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await service.RunVerbAsync("apikey", "create", "drain")).Trim());
        var created = await api.PostAsJsonAsync("/api/cases", new { address = "127.0.0.1", port = relay.Port, source = "drain" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        // The relay has taken the test message; its answer is held, so the probe is mid-dialogue when the stop comes.
        await relay.Held.WaitAsync(TimeSpan.FromSeconds(90));
        await service.SignalAsync("TERM");
        var exit = service.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(exit.IsCompleted, "the service exited with its probe still running:\n" + string.Join('\n', service.Output));
        relay.Release();
        Assert.Equal(0, await exit);

        await using var db = new SqliteConnection($"Data Source={Path.Combine(service.Directory, "data", "notifier.db")};Mode=ReadOnly;Pooling=False");
        await db.OpenAsync();
        await using var query = new SqliteCommand("SELECT Status, Verdict FROM Probes", db);
        await using var row = await query.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), "no probe was stored");
        Assert.Equal(("done", "data-accepted"), (row.GetString(0), row.IsDBNull(1) ? null : row.GetString(1)));
        Assert.False(await row.ReadAsync(), "more than one probe was stored");
    }
}
