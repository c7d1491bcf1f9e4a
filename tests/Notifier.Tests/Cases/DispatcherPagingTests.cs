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

/// <summary>The dispatcher has no fixed cap per run: a backlog larger than a page is dispatched whole in one run.</summary>
public sealed class DispatcherPagingTests
{
    [Fact]
    public async Task RunAsync_QueuesAProbeForEveryDueCase_WhenFiveHundredAreDueAcrossSeveralPages()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        // 64 does not divide 500: the last page is a partial one.
        await using var h = await InboxHarness.CreateAsync(null, s => s["Cases:DispatchPageSize"] = "64");
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            for (var i = 0; i < 500; i++)
            {
                // Several cases share each due time, so the cursor's tie-break on the id matters.
                var at = time.GetUtcNow() - TimeSpan.FromMinutes(i / 7);
                var address = $"198.51.{i / 250}.{i % 250 + 1}";
                db.Cases.Add(CaseWorkflow.Open(address, 25, $"{address}:25", "test", null, "test", at));
            }
            await db.SaveChangesAsync();
        }
        using var storage = Notifier.Tests.Jobs.TestJobStorage.Create();

        await using (var scope = h.Scope())
        {
            var sp = scope.ServiceProvider;
            await new CaseDispatcher(sp.GetRequiredService<NotifierDb>(), new BackgroundJobClient(storage), time,
                sp.GetRequiredService<IOptions<CasesOptions>>(), sp.GetRequiredService<IOptions<RetestOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
                sp.GetRequiredService<IOptions<ProbingOptions>>(), NullLogger<CaseDispatcher>.Instance).RunAsync(CancellationToken.None);
        }

        await using var check = h.Scope();
        var db2 = check.ServiceProvider.GetRequiredService<NotifierDb>();
        var probesPerCase = await db2.Cases.AsNoTracking().Select(c => c.Probes.Count(p => p.Status == ProbeStatus.Queued)).ToListAsync();
        Assert.Equal(500, probesPerCase.Count);
        Assert.All(probesPerCase, n => Assert.Equal(1, n));
        Assert.Equal(0, await db2.Cases.CountAsync(c => c.NextAction == CaseAction.Probe));
        Assert.Equal(500L, storage.GetMonitoringApi().EnqueuedCount("default"));
    }

    [Fact]
    public async Task RunAsync_HandsEachPagesProbesToTheJobs_BeforeDispatchingTheNextPage()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var h = await InboxHarness.CreateAsync(null, s => s["Cases:DispatchPageSize"] = "64");
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            for (var i = 0; i < 200; i++)
            {
                var address = $"198.51.100.{i + 1}";
                db.Cases.Add(CaseWorkflow.Open(address, 25, $"{address}:25", "test", null, "test", time.GetUtcNow() - TimeSpan.FromSeconds(i)));
            }
            await db.SaveChangesAsync();
        }
        using var storage = Notifier.Tests.Jobs.TestJobStorage.Create();
        // How many probes were queued in the database when the first probe job was enqueued.
        int? queuedAtFirstJob = null;
        var jobs = new ObservingJobClient(new BackgroundJobClient(storage), () =>
        {
            if (queuedAtFirstJob is not null) return;
            using var scope = h.Scope();
            queuedAtFirstJob = scope.ServiceProvider.GetRequiredService<NotifierDb>().Probes.Count(p => p.Status == ProbeStatus.Queued);
        });

        await using (var scope = h.Scope())
        {
            var sp = scope.ServiceProvider;
            await new CaseDispatcher(sp.GetRequiredService<NotifierDb>(), jobs, time,
                sp.GetRequiredService<IOptions<CasesOptions>>(), sp.GetRequiredService<IOptions<RetestOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
                sp.GetRequiredService<IOptions<ProbingOptions>>(), NullLogger<CaseDispatcher>.Instance).RunAsync(CancellationToken.None);
        }

        // The first page's 64 probes go to the workers while the other 136 cases are still to be dispatched.
        Assert.Equal(64, queuedAtFirstJob);
        Assert.Equal(200L, storage.GetMonitoringApi().EnqueuedCount("default"));
    }

    /// <summary>The real job client, with a look at the database each time a job is created.</summary>
    private sealed class ObservingJobClient(IBackgroundJobClient inner, Action onCreate) : IBackgroundJobClient
    {
        public string Create(Hangfire.Common.Job job, Hangfire.States.IState state)
        {
            onCreate();
            return inner.Create(job, state);
        }

        public bool ChangeState(string jobId, Hangfire.States.IState state, string expectedState) => inner.ChangeState(jobId, state, expectedState);
    }
}
