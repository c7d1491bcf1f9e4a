using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;
using Notifier.Tests.Probing;

namespace Notifier.Tests.Cases;

/// <summary>
/// The real service (Hangfire workers, a dispatcher every second) against slow scripted SMTP peers: probes that wait
/// for their turn, cases written while their probe runs, cases closed while their probe runs. Each relay accepts the
/// first recipient, so one dialogue is one session and one test message.
/// </summary>
public sealed class ProbeJobConcurrencyTests
{
    /// <summary>Short leases (total timeout 3 s + margin 1 s) so that a lease counted from the claim runs out during the test.</summary>
    private static NotifierFactory Service(int perNetwork, int totalTimeoutSeconds = 3, int workers = 12) => new(new Dictionary<string, string?>
    {
        ["Probing:AllowPrivateTargets"] = "true",
        ["Probing:MaxConcurrentPerNetwork"] = perNetwork.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Probing:TotalTimeout"] = TimeSpan.FromSeconds(totalTimeoutSeconds).ToString(),
        ["Jobs:LeaseMargin"] = "00:00:01",
        ["Jobs:WorkerCount"] = workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    /// <summary>A relay that waits <paramref name="bannerDelay"/> before its banner, then accepts everything.</summary>
    private static ScriptedSmtpServer SlowOpenRelay(TimeSpan bannerDelay) => new(async peer =>
    {
        await Task.Delay(bannerDelay, peer.Token);
        await peer.ServeAsync("220 slow.example.test ESMTP Postfix", "250 slow.example.test", (_, _) => null);
    });

    private static async Task<int> CreateCaseAsync(HttpClient client, ScriptedSmtpServer server, string source = "concurrency-test")
    {
        var created = await client.PostAsJsonAsync("/api/cases", new { address = ((System.Net.IPEndPoint)server.EndPoint).Address.ToString(), port = server.Port, source });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
    }

    private static async Task<JsonElement> DetailAsync(HttpClient client, int id) =>
        JsonDocument.Parse(await client.GetStringAsync($"/api/cases/{id}")).RootElement;

    private static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {within}: {what}");
            await Task.Delay(200);
        }
    }

    private static SqliteNotifierDb Db(NotifierFactory factory) => new(new DbContextOptionsBuilder<SqliteNotifierDb>()
        .UseSqlite(DataExtensions.SqliteConnectionString($"Data Source={factory.DatabasePath}")).Options);

    [Fact]
    public async Task ProbeJob_RunsMoreDialoguesAtOnceThanThereAreWorkers_WhileTheyWaitOnTheNetwork()
    {
        // Two Hangfire workers and ten closed relays on ten /24s, each holding its banner back until all ten sessions
        // are open (or 20 s). A probe that held its worker for the dialogue would let two sessions open at most.
        const int relays = 10;
        using var factory = Service(perNetwork: 4, totalTimeoutSeconds: 60, workers: 2);
        var open = 0;
        var most = 0;
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var servers = Enumerable.Range(0, relays).Select(i => new ScriptedSmtpServer(async peer =>
        {
            var now = Interlocked.Increment(ref open);
            int seen;
            while ((seen = Volatile.Read(ref most)) < now && Interlocked.CompareExchange(ref most, now, seen) != seen) { }
            if (now >= relays) allOpen.TrySetResult();
            try
            {
                await Task.WhenAny(allOpen.Task, Task.Delay(TimeSpan.FromSeconds(20), peer.Token));
                await peer.ServeAsync("220 closed.example.test ESMTP Postfix", "250 closed.example.test",
                    (line, _) => line.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase) ? "554 5.7.1 <x@example.net>: Relay access denied" : null);
            }
            finally { Interlocked.Decrement(ref open); }
        }, System.Net.IPAddress.Parse($"127.0.{20 + i}.1"))).ToList();
        try
        {
            var client = await factory.ClientWithKeyAsync();
            foreach (var s in servers) await CreateCaseAsync(client, s);

            await WaitUntilAsync(async () =>
            {
                await using var db = Db(factory);
                return await db.Probes.CountAsync(p => p.Status == ProbeStatus.Done) >= relays;
            }, TimeSpan.FromSeconds(120), "every probe done");

            Assert.Equal(relays, most);
            await using var check = Db(factory);
            Assert.All(await check.Probes.ToListAsync(), p => Assert.Equal(ProbeStatus.Done, p.Status));
            Assert.Equal(relays, await check.CaseEvents.CountAsync(e => e.Kind == CaseEventKind.ProbeFinished));
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task ProbeJob_RunsEachDialogueOnce_WhenProbesWaitLongerThanTheirLeaseForANetworkSlot()
    {
        // One dialogue at a time in 127.0.0.0/24, 1.5 s each: the sixth waits about 7.5 s for its slot, far beyond a
        // 4 s lease counted from its claim.
        using var factory = Service(perNetwork: 1);
        var servers = Enumerable.Range(0, 6).Select(_ => SlowOpenRelay(TimeSpan.FromSeconds(1.5))).ToList();
        try
        {
            var client = await factory.ClientWithKeyAsync();
            var ids = new List<int>();
            foreach (var s in servers) ids.Add(await CreateCaseAsync(client, s));

            await WaitUntilAsync(async () =>
            {
                await using var db = Db(factory);
                return await db.Probes.CountAsync(p => p.Status == ProbeStatus.Done) >= servers.Count;
            }, TimeSpan.FromSeconds(60), "every probe done");
            // Leave the dispatcher a few runs to re-enqueue anything it wrongly thinks was lost.
            await Task.Delay(TimeSpan.FromSeconds(5));

            Assert.All(servers, s => Assert.Equal(1, s.Connections));
            Assert.All(servers, s => Assert.Single(s.Messages));
            await using var check = Db(factory);
            var probes = await check.Probes.ToListAsync();
            Assert.Equal(servers.Count, probes.Count);
            Assert.All(probes, p => Assert.Equal((ProbeStatus.Done, "data-accepted"), (p.Status, p.Verdict)));
            Assert.Equal(servers.Count, await check.CaseEvents.CountAsync(e => e.Kind == CaseEventKind.ProbeFinished));
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    [Fact]
    public async Task ProbeJob_RecordsVerdictOnce_WhenTheCaseIsReportedAgainWhileItsProbeRuns()
    {
        using var factory = Service(perNetwork: 4);
        await using var server = SlowOpenRelay(TimeSpan.FromSeconds(1.5));
        var client = await factory.ClientWithKeyAsync();
        var id = await CreateCaseAsync(client, server);
        await WaitUntilAsync(() => Task.FromResult(server.Connections > 0), TimeSpan.FromSeconds(30), "the probe connected");

        // A second report of the same relay while the dialogue waits for the banner: a write to the case.
        var again = await client.PostAsJsonAsync("/api/cases", new { address = "127.0.0.1", port = server.Port, source = "second-feed" });
        again.EnsureSuccessStatusCode();

        await WaitUntilAsync(async () => (await DetailAsync(client, id)).GetProperty("case").GetProperty("state").GetString() == CaseState.Suspected,
            TimeSpan.FromSeconds(15), "the case became Suspected");
        await Task.Delay(TimeSpan.FromSeconds(6));

        var detail = await DetailAsync(client, id);
        var probe = Assert.Single(detail.GetProperty("probes").EnumerateArray());
        Assert.Equal(("done", "data-accepted"), (probe.GetProperty("status").GetString(), probe.GetProperty("verdict").GetString()));
        Assert.Equal(CaseState.Suspected, detail.GetProperty("case").GetProperty("state").GetString());
        var kinds = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains(CaseEventKind.Reported, kinds);
        Assert.Single(kinds, k => k == CaseEventKind.ProbeFinished);
        Assert.Equal(1, server.Connections);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task ProbeJob_RecordsEvidenceButLeavesCaseClosed_AndNeverProbesAgain_WhenClosedWhileItsProbeRuns()
    {
        using var factory = Service(perNetwork: 4);
        await using var server = SlowOpenRelay(TimeSpan.FromSeconds(1.5));
        var client = await factory.ClientWithKeyAsync();
        var id = await CreateCaseAsync(client, server);
        await WaitUntilAsync(() => Task.FromResult(server.Connections > 0), TimeSpan.FromSeconds(30), "the probe connected");

        var closed = await client.PostAsJsonAsync($"/api/cases/{id}/close", new { reason = "other", note = "handled elsewhere" });
        closed.EnsureSuccessStatusCode();

        await WaitUntilAsync(async () => (await DetailAsync(client, id)).GetProperty("probes")[0].GetProperty("status").GetString() == "done",
            TimeSpan.FromSeconds(15), "the probe was recorded");
        // Several lease periods (4 s) and dispatcher runs: nothing may probe the closed case again.
        await Task.Delay(TimeSpan.FromSeconds(10));

        var detail = await DetailAsync(client, id);
        Assert.Equal(CaseState.Closed, detail.GetProperty("case").GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("case").GetProperty("nextAction").ValueKind);
        var probe = Assert.Single(detail.GetProperty("probes").EnumerateArray());
        Assert.Equal("data-accepted", probe.GetProperty("verdict").GetString());
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task ProbeJob_DoesNotRunProbe_WhenTheCaseWasClosedBeforeItsTurn()
    {
        // One slot for the network, held 5 s by the first relay's dialogue; the second case is closed while its probe waits.
        using var factory = Service(perNetwork: 1, totalTimeoutSeconds: 10);
        await using var busy = SlowOpenRelay(TimeSpan.FromSeconds(5));
        await using var waiting = SlowOpenRelay(TimeSpan.Zero);
        var client = await factory.ClientWithKeyAsync();
        await CreateCaseAsync(client, busy);
        await WaitUntilAsync(() => Task.FromResult(busy.Connections > 0), TimeSpan.FromSeconds(30), "the first probe connected");
        var id = await CreateCaseAsync(client, waiting);
        await WaitUntilAsync(async () => (await DetailAsync(client, id)).GetProperty("probes").GetArrayLength() > 0, TimeSpan.FromSeconds(10), "the second probe was queued");

        (await client.PostAsJsonAsync($"/api/cases/{id}/close", new { reason = "other", note = "handled elsewhere" })).EnsureSuccessStatusCode();
        await WaitUntilAsync(async () => (await DetailAsync(client, id)).GetProperty("probes")[0].GetProperty("status").GetString() == "skipped",
            TimeSpan.FromSeconds(20), "the probe of the closed case was put down as not run");
        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.Equal(0, waiting.Connections);
        var detail = await DetailAsync(client, id);
        Assert.Equal(CaseState.Closed, detail.GetProperty("case").GetProperty("state").GetString());
        Assert.Contains("closed", detail.GetProperty("probes")[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
    }
}
