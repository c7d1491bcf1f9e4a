using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Jobs;
using Notifier.Probing;
using Notifier.Tests.Inbox;

namespace Notifier.Tests.Cases;

/// <summary>The dispatcher, on fake time, with probes whose jobs were lost: those of a closed case are never run again.</summary>
public sealed class ClosedCaseDispatchTests
{
    [Fact]
    public async Task Dispatcher_PutsLostProbesDownAsNotRun_AndEnqueuesNothing_WhenTheirCaseIsClosed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var h = await InboxHarness.CreateAsync(null);
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var now = time.GetUtcNow();
            foreach (var octet in new[] { 7, 8 })
            {
                var c = CaseWorkflow.Open($"192.0.2.{octet}", 25, $"192.0.2.{octet}:25", "test", null, "test", now);
                var queued = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
                var running = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
                // A job that died mid-probe: running under a lease that ran out.
                running.Status = ProbeStatus.Running;
                running.LeaseOwner = "a-dead-node";
                running.LeaseUntil = now + TimeSpan.FromMinutes(1);
                if (octet == 7) CaseWorkflow.Close(c, "operator", CloseReason.Other, "handled elsewhere", now);
                db.Cases.Add(c);
            }
            await db.SaveChangesAsync();
        }
        using var storage = Notifier.Tests.Jobs.TestJobStorage.Create();

        time.Advance(TimeSpan.FromMinutes(10));
        await using (var scope = h.Scope())
        {
            var sp = scope.ServiceProvider;
            await new CaseDispatcher(sp.GetRequiredService<NotifierDb>(), new BackgroundJobClient(storage), time,
                sp.GetRequiredService<IOptions<CasesOptions>>(), sp.GetRequiredService<IOptions<RetestOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
                sp.GetRequiredService<IOptions<ProbingOptions>>(), NullLogger<CaseDispatcher>.Instance).RunAsync(CancellationToken.None);
        }

        await using var check = h.Scope();
        var probes = await check.ServiceProvider.GetRequiredService<NotifierDb>().Probes.AsNoTracking().Include(p => p.Case).ToListAsync();
        Assert.All(probes.Where(p => p.Case!.State == CaseState.Closed), p =>
        {
            Assert.Equal(ProbeStatus.Skipped, p.Status);
            Assert.Contains("closed", p.Reason, StringComparison.Ordinal);
        });
        Assert.All(probes.Where(p => p.Case!.State != CaseState.Closed), p => Assert.NotEqual(ProbeStatus.Skipped, p.Status));
        // Only the open case's two lost probes go back to the workers.
        Assert.Equal(2L, storage.GetMonitoringApi().EnqueuedCount("default"));
    }
}
