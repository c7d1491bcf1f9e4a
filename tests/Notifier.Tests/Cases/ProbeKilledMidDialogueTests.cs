using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;
using Notifier.Tests.Probing;

namespace Notifier.Tests.Cases;

/// <summary>
/// A probe runs on in the service after its Hangfire job has returned (Cases/ProbeRunner), so it is the probe row's
/// lease, not the job, that must survive the process: the service is killed (SIGKILL) in the middle of a dialogue,
/// another node starts on the same database, and the probe is run again once the killed node's lease has run out.
/// </summary>
public sealed class ProbeKilledMidDialogueTests
{
    [Fact]
    public async Task Probe_IsRunAgainAfterItsLease_WhenTheServiceIsKilledMidDialogue()
    {
        // The first session is held silent (the killed dialogue); later ones answer like a closed Postfix.
        await using var relay = new ScriptedSmtpServer(async peer =>
        {
            if (peer.Number == 1)
            {
                await Task.Delay(Timeout.Infinite, peer.Token);
                return;
            }
            await peer.ServeAsync("220 closed.example.test ESMTP Postfix", "250 closed.example.test",
                (line, _) => line.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase) ? "554 5.7.1 <x@example.net>: Relay access denied" : null);
        });
        var first = await RunningNotifier.StartAsync(new Dictionary<string, string>
        {
            ["Probing:AllowPrivateTargets"] = "true",
            ["Probing:MinIntervalPerTarget"] = "00:00:00",
            ["Probing:ReplyTimeout"] = "00:00:20",
            ["Probing:TotalTimeout"] = "00:00:20",
            ["Jobs:LeaseMargin"] = "00:00:02",
            ["Jobs:DispatchCron"] = "*/1 * * * * *",
            ["Jobs:NodeName"] = "node-a",
            // Port 9 (discard) on loopback: contact lookups fail at once, nothing leaves the machine.
            ["Contacts:NameServers:0"] = "127.0.0.1:9",
            ["Contacts:RdapBootstrapUrl"] = "http://127.0.0.1:9/rdap/bootstrap.json",
            ["Contacts:UseAbuseNet"] = "false",
            ["Contacts:DnsTimeout"] = "00:00:01",
            ["Contacts:DnsRetries"] = "0",
        });
        RunningNotifier? second = null;
        try
        {
            using (var api = new HttpClient { BaseAddress = first.BaseAddress })
            {
                api.DefaultRequestHeaders.Authorization = new("Bearer", (await first.RunVerbAsync("apikey", "create", "killed")).Trim());
                var created = await api.PostAsJsonAsync("/api/cases", new { address = "127.0.0.1", port = relay.Port, source = "kill-test" });
                created.EnsureSuccessStatusCode();
            }
            await WaitUntilAsync(() => Task.FromResult(relay.Connections == 1), TimeSpan.FromSeconds(60), "the probe connected");
            DateTimeOffset killedLease;
            await using (var db = Db(first))
            {
                var running = await db.Probes.AsNoTracking().SingleAsync();
                Assert.Equal((ProbeStatus.Running, "node-a"), (running.Status, running.LeaseOwner));
                killedLease = running.LeaseUntil!.Value;
            }

            second = await first.RestartAsync(changed: new Dictionary<string, string> { ["Jobs:NodeName"] = "node-b" });
            await WaitUntilAsync(async () =>
            {
                await using var db = Db(second);
                return await db.Probes.AnyAsync(p => p.Status == ProbeStatus.Done);
            }, TimeSpan.FromSeconds(90), "the probe was run again and recorded");

            await using var check = Db(second);
            var probe = await check.Probes.AsNoTracking().SingleAsync();
            Assert.Equal(ProbeStatus.Done, probe.Status);
            Assert.True(probe.StartedAt >= killedLease, $"re-run at {probe.StartedAt:O}, before the killed node's lease ended at {killedLease:O}");
            // The killed session, then the re-run's (a closed relay's probe opens several: MaxErrorsPerSession).
            Assert.True(relay.Connections >= 2, $"{relay.Connections} sessions");
            Assert.Equal(Notifier.Probing.ProbeVerdict.Closed, probe.Verdict);
            Assert.Equal(1, await check.CaseEvents.CountAsync(e => e.Kind == CaseEventKind.ProbeFinished));
        }
        finally
        {
            if (second is not null) await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    private static SqliteNotifierDb Db(RunningNotifier service) => new(new DbContextOptionsBuilder<SqliteNotifierDb>()
        .UseSqlite(DataExtensions.SqliteConnectionString($"Data Source={Path.Combine(service.Directory, "data", "notifier.db")}")).Options);

    private static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {within}: {what}");
            await Task.Delay(200);
        }
    }
}
