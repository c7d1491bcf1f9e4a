using System.Net;
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

/// <summary>
/// A further test message whose job was lost (in-memory job storage emptied by a restart, a killed worker) is
/// sent later by the dispatcher or start-up recovery, never twice; one whose sender died mid-send is not re-sent.
/// Fake time and a fake relay that counts what it was asked to send.
/// </summary>
public sealed class TestMessageRecoveryTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Accepts every test message, or dies (as a killed process would) after being asked.</summary>
    private sealed class CountingRelay(ProbeTokenKey key) : IRelayProbe
    {
        public List<TestMessageRequest> Sent { get; } = [];

        public bool DieMidSend { get; set; }

        public Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("not used here");

        public Task<ProbeResult> SendTestMessageAsync(TestMessageRequest request, CancellationToken cancellationToken)
        {
            Sent.Add(request);
            if (DieMidSend) throw new OperationCanceledException("the process was killed after DATA");
            var target = RelayProbe.TokenTarget(IPAddress.Parse(request.Address), request.Port);
            var token = request.Token;
            var at = ProbeToken.Verify(key.Bytes, token, target) && ProbeToken.TryParse(token, out _, out var issued)
                ? issued
                : throw new InvalidOperationException("the job handed over a token not made for this target");
            return Task.FromResult(new ProbeResult
            {
                Target = target,
                Host = request.Address,
                Address = request.Address,
                Port = request.Port,
                ProbeKey = request.ProbeKey,
                Verdict = ProbeVerdict.DataAccepted,
                Reason = "test",
                Mode = ProbeMode.Quick,
                Token = token,
                CanaryAddress = $"relaytest+{token}@canary.test",
                DataVariant = request.Variant,
                DataReply = "250 2.0.0 queued",
                MessageId = $"relaytest.{token}@canary.test",
                StartedAt = at,
                FinishedAt = at,
            });
        }
    }

    private sealed class Rig(InboxHarness h, FakeTimeProvider time) : IAsyncDisposable
    {
        public InboxHarness Harness { get; } = h;
        public FakeTimeProvider Time { get; } = time;
        public InMemoryStorage Storage { get; private set; } = Notifier.Tests.Jobs.TestJobStorage.Create();
        public CountingRelay Relay { get; } = new(h.Services.GetRequiredService<ProbeTokenKey>());

        /// <summary>A restart with in-memory job storage: every enqueued job is gone.</summary>
        public void LoseJobs()
        {
            Storage.Dispose();
            Storage = Notifier.Tests.Jobs.TestJobStorage.Create();
        }

        public long Enqueued(string method) =>
            Storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100).Count(j => j.Value.Job.Type.Name == method);

        public List<int> EnqueuedTestMessages() =>
            Storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100).Where(j => j.Value.Job.Type == typeof(TestMessageJob))
                .Select(j => (int)j.Value.Job.Args[0]).ToList();

        private CaseDispatcher Dispatcher(IServiceProvider sp) => new(sp.GetRequiredService<NotifierDb>(), new BackgroundJobClient(Storage), Time,
            sp.GetRequiredService<IOptions<CasesOptions>>(), sp.GetRequiredService<IOptions<RetestOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
            sp.GetRequiredService<IOptions<ProbingOptions>>(), NullLogger<CaseDispatcher>.Instance);

        public async Task DispatchAsync()
        {
            await using var scope = Harness.Scope();
            await Dispatcher(scope.ServiceProvider).RunAsync(CancellationToken.None);
        }

        public async Task RecoverAsync()
        {
            await using var scope = Harness.Scope();
            await Dispatcher(scope.ServiceProvider).RecoverAsync(CancellationToken.None);
        }

        public async Task RunJobAsync(int id)
        {
            await using var scope = Harness.Scope();
            var sp = scope.ServiceProvider;
            var job = new TestMessageJob(sp.GetRequiredService<NotifierDb>(), Relay, sp.GetRequiredService<ProbeTokenKey>(), Time,
                sp.GetRequiredService<IOptions<ProbingOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(), NullLogger<TestMessageJob>.Instance);
            await job.RunAsync(id, CancellationToken.None);
        }

        public async Task<T> DbAsync<T>(Func<NotifierDb, Task<T>> read)
        {
            await using var scope = Harness.Scope();
            return await read(scope.ServiceProvider.GetRequiredService<NotifierDb>());
        }

        public async ValueTask DisposeAsync()
        {
            Storage.Dispose();
            await Harness.DisposeAsync();
        }
    }

    /// <summary>A data-accepted probe with two accepted variant classes whose first window ended: message 2 is queued and its job enqueued.</summary>
    private static async Task<(Rig Rig, int MessageId)> QueuedSecondMessageAsync()
    {
        var time = new FakeTimeProvider(Start);
        var rig = new Rig(await InboxHarness.CreateAsync(null), time);
        await using (var scope = rig.Harness.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var now = time.GetUtcNow();
            var c = CaseWorkflow.Open("127.0.0.1", 2525, "127.0.0.1:2525", "test", null, "test", now);
            var p = CaseWorkflow.QueueProbe(c, ProbeMode.Full, now);
            var r = new ProbeResult
            {
                Target = "127.0.0.1:2525",
                Host = "127.0.0.1",
                Address = "127.0.0.1",
                Port = 2525,
                ProbeKey = p.Key,
                Verdict = ProbeVerdict.DataAccepted,
                Reason = "test",
                Mode = ProbeMode.Full,
                Token = "t1",
                CanaryAddress = "relaytest+t1@canary.test",
                Variants =
                [
                    new VariantResult("plain", VariantClass.Direct, "s@x", "r@canary.test", "250", "250", true, VariantOutcome.Accepted, 1),
                    new VariantResult("source-route", VariantClass.SourceRoute, "s@x", "r@canary.test", "250", "250", true, VariantOutcome.Accepted, 1),
                ],
                AcceptedVariants = ["plain", "source-route"],
                DataVariant = "plain",
                DataReply = "250 queued",
                MessageId = "relaytest.t1@canary.test",
                StartedAt = now,
                FinishedAt = now,
            };
            CaseWorkflow.ProbeFinished(c, p, r, new CasesOptions(), now);
            CaseWorkflow.TestMessageSent(c, p, r, TimeSpan.FromMinutes(30), now);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
        }
        time.Advance(TimeSpan.FromMinutes(31));
        await rig.DispatchAsync();
        var id = Assert.Single(rig.EnqueuedTestMessages());
        return (rig, id);
    }

    [Fact]
    public async Task Dispatcher_ReenqueuesQueuedTestMessage_WhenItsJobWasLost_AndTheJobSendsItOnce()
    {
        var (rig, id) = await QueuedSecondMessageAsync();
        await using var owned = rig;
        rig.LoseJobs();

        rig.Time.Advance(TimeSpan.FromMinutes(1));
        await rig.DispatchAsync();
        Assert.Empty(rig.EnqueuedTestMessages());

        rig.Time.Advance(TimeSpan.FromMinutes(1.5));
        await rig.DispatchAsync();
        Assert.Equal([id], rig.EnqueuedTestMessages());
        // The re-enqueue bumped QueuedAt: the next run does not add a second copy while that one waits.
        await rig.DispatchAsync();
        Assert.Equal([id], rig.EnqueuedTestMessages());

        await rig.RunJobAsync(id);
        await rig.RunJobAsync(id);

        var sent = Assert.Single(rig.Relay.Sent);
        Assert.Equal("source-route", sent.Variant);
        var m = await rig.DbAsync(db => db.ProbeTestMessages.AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.Equal(TestMessageStatus.Sent, m.Status);
        Assert.Null(m.LeaseOwner);
        // The token stored at the claim is the one the message carried.
        Assert.True(ProbeToken.Verify(rig.Harness.Services.GetRequiredService<ProbeTokenKey>().Bytes, m.Token!, m.Target));
        Assert.Equal(sent.Token, m.Token);
        var c = await rig.DbAsync(db => db.Cases.AsNoTracking().SingleAsync());
        Assert.Equal((CaseAction.AwaitCanary, rig.Time.GetUtcNow() + TimeSpan.FromMinutes(30)), (c.NextAction, c.NextActionAt));
    }

    [Fact]
    public async Task TestMessageJob_SendsFromAVerpReturnPathNamingItsRow_WhenItSendsAFurtherTestMessage()
    {
        var (rig, id) = await QueuedSecondMessageAsync();
        await using var owned = rig;

        await rig.RunJobAsync(id);

        var sent = Assert.Single(rig.Relay.Sent);
        var key = VerpAddress.KeyFrom(rig.Harness.Services.GetRequiredService<ProbeTokenKey>());
        // The harness's sender domain: a bounce to it reaches the desk and is tied to this message, not the first.
        Assert.Equal(new VerpAddress(VerpAddress.TestMessage, id, "desk.test"), VerpAddress.Verify(sent.ReturnPath!, key));
    }

    [Fact]
    public async Task TestMessageJob_RecordsInterrupted_AndNeverSendsAgain_WhenClaimerDiedMidSend()
    {
        var (rig, id) = await QueuedSecondMessageAsync();
        await using var owned = rig;
        rig.Relay.DieMidSend = true;
        await Assert.ThrowsAsync<OperationCanceledException>(() => rig.RunJobAsync(id));
        rig.LoseJobs();
        rig.Relay.DieMidSend = false;

        var claimed = await rig.DbAsync(db => db.ProbeTestMessages.AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.Equal(TestMessageStatus.Sending, claimed.Status);
        Assert.NotNull(claimed.Token);

        // Within the lease the claimer might still be alive: nothing is enqueued, and a stray copy does nothing.
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        await rig.DispatchAsync();
        Assert.Empty(rig.EnqueuedTestMessages());
        await rig.RunJobAsync(id);
        Assert.Single(rig.Relay.Sent);

        rig.Time.Advance(claimed.LeaseUntil!.Value - rig.Time.GetUtcNow() + TimeSpan.FromSeconds(1));
        await rig.DispatchAsync();
        Assert.Equal([id], rig.EnqueuedTestMessages());
        await rig.RunJobAsync(id);
        await rig.RunJobAsync(id);

        Assert.Single(rig.Relay.Sent);
        var m = await rig.DbAsync(db => db.ProbeTestMessages.AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.Equal(TestMessageStatus.Interrupted, m.Status);
        Assert.Equal(claimed.Token, m.Token);
        var c = await rig.DbAsync(db => db.Cases.AsNoTracking().Include(x => x.Events).SingleAsync());
        Assert.Equal((CaseAction.AwaitCanary, rig.Time.GetUtcNow() + TimeSpan.FromMinutes(30)), (c.NextAction, c.NextActionAt));
        Assert.Single(c.Events, e => e.Kind == CaseEventKind.TestMessage && e.Summary.Contains("interrupted mid-send", StringComparison.Ordinal));

        // The window ends with no canary: message 2 counts as used, no class is left, accepts-but-drops says why.
        rig.Time.Advance(TimeSpan.FromMinutes(31));
        await rig.DispatchAsync();
        c = await rig.DbAsync(db => db.Cases.AsNoTracking().Include(x => x.Events).SingleAsync());
        Assert.Equal(CaseState.Unconfirmed, c.State);
        Assert.Contains(c.Events, e => e.Summary.Contains("1 more interrupted mid-send", StringComparison.Ordinal));
        Assert.Single(rig.Relay.Sent);
    }

    [Fact]
    public async Task RecoverAsync_SendsQueuedMessage_AndReleasesThisNodesInterruptedSend()
    {
        var (rig, id) = await QueuedSecondMessageAsync();
        await using var owned = rig;

        // Restart 1: the queued message's job is gone; recovery enqueues it at once (no RequeueAfter wait).
        rig.LoseJobs();
        await rig.RecoverAsync();
        Assert.Equal([id], rig.EnqueuedTestMessages());

        // The job claims it and this node dies mid-send; restart 2 releases the claim without waiting for the lease.
        rig.Relay.DieMidSend = true;
        await Assert.ThrowsAsync<OperationCanceledException>(() => rig.RunJobAsync(id));
        rig.Relay.DieMidSend = false;
        rig.LoseJobs();
        await rig.RecoverAsync();
        Assert.Equal([id], rig.EnqueuedTestMessages());
        await rig.RunJobAsync(id);

        Assert.Single(rig.Relay.Sent);
        var m = await rig.DbAsync(db => db.ProbeTestMessages.AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.Equal((TestMessageStatus.Interrupted, (string?)null), (m.Status, m.LeaseOwner));
    }

    [Fact]
    public async Task TestMessageJob_DoesNotSend_WhenTheCaseWasClosedMeanwhile()
    {
        var (rig, id) = await QueuedSecondMessageAsync();
        await using var owned = rig;
        await rig.DbAsync(async db =>
        {
            var c = await db.Cases.SingleAsync();
            CaseWorkflow.Close(c, "operator:test", CloseReason.Other, "test", rig.Time.GetUtcNow());
            return await db.SaveChangesAsync();
        });

        await rig.RunJobAsync(id);

        Assert.Empty(rig.Relay.Sent);
        var m = await rig.DbAsync(db => db.ProbeTestMessages.AsNoTracking().SingleAsync(x => x.Id == id));
        Assert.Equal(TestMessageStatus.NotSent, m.Status);
        Assert.Equal("not sent: the case is Closed", m.DataReply);
    }
}
