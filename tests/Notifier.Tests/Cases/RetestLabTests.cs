using System.Globalization;
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
using Notifier.Tests.Hosting;
using Notifier.Tests.Inbox;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cases;

/// <summary>
/// Retests of notified relays against the lab's real Postfix instances (open, closed, greylisting) through the real
/// dispatcher and ProbeJob: RCPT only, no test message, and what each server's answers make of the case. On SQLite and
/// on a real PostgreSQL (a fresh database per test).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class RetestLabTests(Notifier.Tests.Lab.Lab lab)
{
    private static async Task<Case> CaseAsync(InboxHarness h, int caseId)
    {
        await using var scope = h.Scope();
        return await scope.ServiceProvider.GetRequiredService<NotifierDb>().Cases.AsNoTracking()
            .Include(c => c.Probes).ThenInclude(p => p.TestMessages).SingleAsync(c => c.Id == caseId);
    }

    private static async Task RunProbeAsync(InboxHarness h, int probeId)
    {
        await using var scope = h.Scope();
        await scope.ServiceProvider.GetRequiredService<ProbeRun>().RunAsync(probeId, CancellationToken.None);
    }

    private static async Task DispatchAsync(InboxHarness h, TimeProvider time)
    {
        using var storage = Notifier.Tests.Jobs.TestJobStorage.Create();
        await using var scope = h.Scope();
        var sp = scope.ServiceProvider;
        await new CaseDispatcher(sp.GetRequiredService<NotifierDb>(), new BackgroundJobClient(storage), time,
            sp.GetRequiredService<IOptions<CasesOptions>>(), sp.GetRequiredService<IOptions<RetestOptions>>(), sp.GetRequiredService<IOptions<JobsOptions>>(),
            sp.GetRequiredService<IOptions<ProbingOptions>>(), NullLogger<CaseDispatcher>.Instance).RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// A case of <paramref name="target"/> whose initial probe ran, then (as if its first notice went out two days ago)
    /// Monitoring with its first retest due now; the dispatcher queues that retest. Returns the case and the retest.
    /// </summary>
    private static async Task<(int CaseId, Probe Retest)> NotifiedAndDueAsync(InboxHarness h, System.Net.IPEndPoint target)
    {
        var (caseId, probeId) = await h.OpenCaseAsync(target);
        await RunProbeAsync(h, probeId);
        var now = DateTimeOffset.UtcNow;
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            c.State = CaseState.Monitoring;
            c.FirstNoticeAt = now.AddDays(-2);
            c.ScheduleFrom = c.FirstNoticeAt;
            c.NextAction = CaseAction.Retest;
            c.NextActionAt = now;
            await db.SaveChangesAsync();
        }
        await DispatchAsync(h, new FakeTimeProvider(now));
        var retest = (await CaseAsync(h, caseId)).Probes.Single(p => p.Kind == ProbeKind.Retest);
        return (caseId, retest);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Retest_FindsItOpen_WithoutATestMessage_WhenTheRelayStillRelays(string provider)
    {
        await using var h = await InboxHarness.CreateAsync(lab, provider: provider);
        var (caseId, retest) = await NotifiedAndDueAsync(h, lab.EndPoint("OPEN"));
        var proving = (await CaseAsync(h, caseId)).Probes.Single(p => p.Kind == ProbeKind.Initial);

        await RunProbeAsync(h, retest.Id);

        var c = await CaseAsync(h, caseId);
        var done = c.Probes.Single(p => p.Id == retest.Id);
        Assert.Equal((ProbeMode.RcptOnly, proving.AcceptedVariants), (done.Mode, done.Variants));
        Assert.Equal((ProbeVerdict.RcptAccepted, RetestOutcome.Open), (done.Verdict, done.RetestOutcome));
        Assert.Empty(done.TestMessages);
        Assert.Null(done.DataReply);
        Assert.Equal((CaseState.Monitoring, CaseAction.Retest), (c.State, c.NextAction));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Retest_FindsItClosed_AndResolvesTheCase_WhenTheServerRefusesRelaying(string provider)
    {
        await using var h = await InboxHarness.CreateAsync(lab, provider: provider);
        var (caseId, retest) = await NotifiedAndDueAsync(h, lab.EndPoint("CLOSED"));

        await RunProbeAsync(h, retest.Id);

        var c = await CaseAsync(h, caseId);
        var done = c.Probes.Single(p => p.Id == retest.Id);
        Assert.Equal((ProbeVerdict.Closed, RetestOutcome.Closed), (done.Verdict, done.RetestOutcome));
        Assert.Equal(CaseState.Resolved, c.State);
        Assert.NotNull(c.ResolvedAt);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Retest_GetsThroughGreylisting_WithTheSameEnvelopeAfterTheDelay(string provider)
    {
        await using var h = await InboxHarness.CreateAsync(lab, provider: provider);
        var greylistDelay = TimeSpan.FromSeconds(int.Parse(lab["NOTIFIER_LAB_GREYLIST_DELAY"], CultureInfo.InvariantCulture));
        var (caseId, retest) = await NotifiedAndDueAsync(h, lab.EndPoint("GREYLIST"));

        await RunProbeAsync(h, retest.Id);
        var deferred = await CaseAsync(h, caseId);
        var first = deferred.Probes.Single(p => p.Id == retest.Id);
        Assert.Equal((ProbeVerdict.TempRefused, (string?)null), (first.Verdict, first.RetestOutcome));
        Assert.Equal((CaseState.Monitoring, CaseAction.RetryProbe), (deferred.State, deferred.NextAction));

        await DispatchAsync(h, new FakeTimeProvider(deferred.NextActionAt!.Value));
        var retry = (await CaseAsync(h, caseId)).Probes.Single(p => p.RetryOfProbeId == first.Id);
        Assert.Equal((ProbeKind.Retest, ProbeMode.RcptOnly, first.Key), (retry.Kind, retry.Mode, retry.Key));
        await Task.Delay(greylistDelay + TimeSpan.FromSeconds(1));
        await RunProbeAsync(h, retry.Id);

        var c = await CaseAsync(h, caseId);
        var done = c.Probes.Single(p => p.Id == retry.Id);
        Assert.Equal((ProbeVerdict.RcptAccepted, RetestOutcome.Open, first.Token), (done.Verdict, done.RetestOutcome, done.Token));
        Assert.Empty(done.TestMessages);
        Assert.Equal((CaseState.Monitoring, CaseAction.Retest), (c.State, c.NextAction));
    }
}
