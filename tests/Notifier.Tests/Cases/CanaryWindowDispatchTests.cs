using Hangfire;
using Hangfire.InMemory;
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

/// <summary>The dispatcher at the end of a confirmation window, on fake time: a further test message, or accepts-but-drops.</summary>
public sealed class CanaryWindowDispatchTests
{
    private static ProbeResult Result(DateTimeOffset at, params (string Name, string Class)[] accepted) => new()
    {
        Target = "192.0.2.44:25",
        Host = "192.0.2.44",
        Address = "192.0.2.44",
        Port = 25,
        ProbeKey = "aaaaaaaaaaaaaaaa",
        Verdict = ProbeVerdict.DataAccepted,
        Reason = "test",
        Mode = ProbeMode.Full,
        Token = "t1",
        CanaryAddress = "relaytest+t1@canary.test",
        Variants = accepted.Select(a => new VariantResult(a.Name, a.Class, "s@x", "r@canary.test", "250", "250", true, VariantOutcome.Accepted, 1)).ToList(),
        AcceptedVariants = accepted.Select(a => a.Name).ToList(),
        DataVariant = accepted[0].Name,
        DataReply = "250 queued",
        MessageId = "relaytest.t1@canary.test",
        StartedAt = at,
        FinishedAt = at,
    };

    private static async Task<(int CaseId, string State, string? Action, int TestMessages, long Enqueued)> DispatchAsync(InboxHarness h, FakeTimeProvider time, InMemoryStorage storage)
    {
        await using var scope = h.Scope();
        var sp = scope.ServiceProvider;
        var dispatcher = new CaseDispatcher(sp.GetRequiredService<NotifierDb>(), new BackgroundJobClient(storage), time,
            sp.GetRequiredService<IOptions<CasesOptions>>(), sp.GetRequiredService<IOptions<RetestOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
            sp.GetRequiredService<IOptions<ProbingOptions>>(), NullLogger<CaseDispatcher>.Instance);
        await dispatcher.RunAsync(CancellationToken.None);
        var c = await sp.GetRequiredService<NotifierDb>().Cases.AsNoTracking().Include(x => x.Probes).ThenInclude(p => p.TestMessages).SingleAsync();
        return (c.Id, c.State, c.NextAction, c.Probes.Single().TestMessages.Count, storage.GetMonitoringApi().EnqueuedCount("default"));
    }

    [Fact]
    public async Task Dispatcher_QueuesFurtherTestMessage_ThenAcceptsButDrops_WhenWindowsEndWithoutCanary()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        await using var h = await InboxHarness.CreateAsync(null);
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var now = time.GetUtcNow();
            var c = CaseWorkflow.Open("192.0.2.44", 25, "192.0.2.44:25", "test", null, "test", now);
            var p = CaseWorkflow.QueueProbe(c, ProbeMode.Full, now);
            var r = Result(now, ("plain", VariantClass.Direct), ("source-route", VariantClass.SourceRoute));
            CaseWorkflow.ProbeFinished(c, p, r, new CasesOptions(), now);
            CaseWorkflow.TestMessageSent(c, p, r, TimeSpan.FromMinutes(30), now);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
        }
        using var storage = Notifier.Tests.Jobs.TestJobStorage.Create();

        time.Advance(TimeSpan.FromMinutes(29));
        var early = await DispatchAsync(h, time, storage);
        Assert.Equal((CaseState.Suspected, CaseAction.AwaitCanary, 1, 0L), (early.State, early.Action, early.TestMessages, early.Enqueued));

        time.Advance(TimeSpan.FromMinutes(2));
        var second = await DispatchAsync(h, time, storage);
        Assert.Equal((CaseState.Suspected, CaseAction.AwaitCanary, 2, 1L), (second.State, second.Action, second.TestMessages, second.Enqueued));

        // The job never ran (lost): the next window end counts message 2 as used, and no class is left.
        time.Advance(TimeSpan.FromMinutes(31));
        var last = await DispatchAsync(h, time, storage);
        // Issue 12: an accepts-but-drops case gets one fresh probe later (Retests:UnconfirmedReprobeAfter).
        Assert.Equal((CaseState.Unconfirmed, CaseAction.Probe, 2), (last.State, last.Action, last.TestMessages));
        await using var check = h.Scope();
        var probe = await check.ServiceProvider.GetRequiredService<NotifierDb>().Probes.SingleAsync();
        Assert.Equal(ProbeVerdict.AcceptsButDrops, probe.Verdict);
    }
}
