using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;
using Notifier.Tests.Probing;

namespace Notifier.Tests.Cases;

/// <summary>
/// Kill -9 the real service while probes are in flight, start it again: no case is lost, every due probe still
/// happens, and no case shows a probe twice.
/// </summary>
public sealed class RestartTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("notifier-restart-").FullName;
    private readonly List<Process> _processes = [];

    private Dictionary<string, string> Environment => new()
    {
        ["Notifier__Database__ConnectionString"] = $"Data Source={Path.Combine(_dir, "notifier.db")}",
        ["Notifier__Probing__TokenKeyFile"] = Path.Combine(_dir, "keys", "probe-token.key"),
        ["Notifier__DataProtection__KeysDirectory"] = Path.Combine(_dir, "keys"),
        ["Notifier__Probing__AllowPrivateTargets"] = "true",
        ["Notifier__Probing__MinIntervalPerTarget"] = "00:00:00",
        ["Notifier__Probing__MinIntervalPerNetwork"] = "00:00:00",
        ["Notifier__Probing__MaxConcurrentPerNetwork"] = "50",
        ["Notifier__Probing__ReplyTimeout"] = "00:00:10",
        ["Notifier__Probing__CanaryDomain"] = "canary.test",
        ["Notifier__Jobs__DispatchCron"] = "*/1 * * * * *",
        ["Notifier__Jobs__NodeName"] = "restart-test-node",
        ["Notifier__Urls"] = "http://127.0.0.1:0",
    };

    private Process Start(params string[] args)
    {
        var log = Path.Combine(_dir, $"process-{_processes.Count}.log");
        var p = NotifierProcess.Start(args, Environment, _dir, line => { lock (_processes) File.AppendAllText(log, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n"); });
        _processes.Add(p);
        return p;
    }

    private SqliteNotifierDb Db() => new(new DbContextOptionsBuilder<SqliteNotifierDb>()
        .UseSqlite(DataExtensions.SqliteConnectionString($"Data Source={Path.Combine(_dir, "notifier.db")}")).Options);

    [Fact]
    public async Task KillNineMidProbe_ThenRestart_EveryCaseProbedExactlyOnce()
    {
        // Each relay holds its first session's banner for 5 s, so the kill lands while the probes are running.
        var servers = Enumerable.Range(0, 4).Select(_ => new ScriptedSmtpServer(async peer =>
        {
            if (peer.Number == 1) await Task.Delay(5000, peer.Token);
            await peer.ServeAsync("220 slow.example.test ESMTP Postfix", "250 slow.example.test",
                (l, _) => l.StartsWith("RCPT", StringComparison.Ordinal) ? "554 5.7.1 Relay access denied" : null);
        })).ToList();
        try
        {
            var csv = Path.Combine(_dir, "relays.csv");
            await File.WriteAllLinesAsync(csv, ["address,port,source", .. servers.Select(s => $"127.0.0.1,{s.Port},restart-test")]);
            var import = Start("import", csv);
            Assert.True(import.WaitForExit(TimeSpan.FromMinutes(1)) && import.ExitCode == 0, "import failed");
            var first = Start();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (servers.Any(s => s.Connections == 0) && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.True(servers.All(s => s.Connections > 0), "the first process never started probing");
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();

            await using (var db = Db())
            {
                Assert.Equal(4, await db.Cases.CountAsync());
                Assert.True(await db.Probes.AnyAsync(p => p.Status == ProbeStatus.Running), "the kill did not interrupt a running probe");
            }

            Start();
            deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (DateTime.UtcNow < deadline)
            {
                await using var db = Db();
                if (await db.Cases.CountAsync(c => c.State == CaseState.NotRelay) == 4) break;
                await Task.Delay(250);
            }
            await using (var db = Db())
            {
                var cases = await db.Cases.Include(c => c.Probes).Include(c => c.Events).ToListAsync();
                Assert.Equal(4, cases.Count);
                Assert.All(cases, c =>
                {
                    Assert.Equal(CaseState.NotRelay, c.State);
                    var probe = Assert.Single(c.Probes);
                    Assert.Equal(ProbeStatus.Done, probe.Status);
                    Assert.Equal("closed", probe.Verdict);
                    Assert.Single(c.Events, e => e.Kind == CaseEventKind.ProbeFinished);
                });
            }
        }
        finally
        {
            foreach (var s in servers) await s.DisposeAsync();
        }
    }

    public void Dispose()
    {
        foreach (var p in _processes)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); p.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        if (System.Environment.GetEnvironmentVariable("KEEP_RESTART_DIR") is not null) return;
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
