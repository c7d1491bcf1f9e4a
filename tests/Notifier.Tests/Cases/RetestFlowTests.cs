using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

/// <summary>
/// Retests through the real dispatcher, ProbeJob, follow-up planning and NoticeJob on a SQLite file in fake time; the
/// relay is a script (what a real Postfix answers is the lab tests'): resolution, recidivism, escalation, restarts.
/// </summary>
public sealed class RetestFlowTests
{
    private const string First = "abuse@isp.example";
    private const string Second = "noc@isp.example";
    private const string Upstream = "abuse@transit.example";

    /// <summary>Answers every probe with the verdict it is set to, and keeps the requests.</summary>
    private sealed class ScriptedRelay : IRelayProbe
    {
        public string Verdict { get; set; } = ProbeVerdict.RcptAccepted;

        public List<ProbeRequest> Requests { get; } = [];

        public Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            var r = RetestSamples.Result(Verdict, DateTimeOffset.UnixEpoch);
            return Task.FromResult(r);
        }

        /// <summary>A retest never sends a test message.</summary>
        public Task<ProbeResult> SendTestMessageAsync(TestMessageRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("a retest sent a test message");
    }

    /// <summary>A confirmed case whose first notice to <see cref="First"/> went out at the rig's start.</summary>
    private static async Task<int> NotifiedCaseAsync(NoticeRig rig, string address, params string[] contacts)
    {
        var caseId = await rig.CaseWithContactsAsync(address, CaseState.Confirmed, contacts.Length == 0 ? [First] : contacts);
        await rig.PlanAsync(caseId);
        await rig.ApproveAllAsync(caseId);
        await rig.DispatchAndRunAsync();
        return caseId;
    }

    /// <summary>Lives up to the case's next action, dispatches it, runs the retest it queued, then sends what it planned.</summary>
    private static async Task<Probe> RetestDueAsync(NoticeRig rig, int caseId, ScriptedRelay relay)
    {
        var c = await rig.CaseAsync(caseId);
        Assert.Equal(CaseAction.Retest, c.NextAction);
        if (c.NextActionAt > rig.Time.GetUtcNow()) rig.Time.SetUtcNow(c.NextActionAt!.Value);
        await rig.DispatchAndRunAsync();
        var p = await rig.DbAsync(db => db.Probes.AsNoTracking().Where(x => x.CaseId == caseId && x.Status == ProbeStatus.Queued).SingleAsync());
        await RunProbeAsync(rig, relay, p.Id);
        await rig.DispatchAndRunAsync();
        return await rig.DbAsync(db => db.Probes.AsNoTracking().SingleAsync(x => x.Id == p.Id));
    }

    private static async Task RunProbeAsync(NoticeRig rig, IRelayProbe relay, int probeId)
    {
        await using var scope = rig.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<ProbeRun>(scope.ServiceProvider, relay).RunAsync(probeId, CancellationToken.None);
    }

    private static async Task AddContactAsync(NoticeRig rig, int caseId, string address, int rank, int prefix)
    {
        await rig.DbAsync(async db =>
        {
            foreach (var row in await db.CaseContacts.Where(x => x.CaseId == caseId && x.NetworkPrefixLength == null).ToListAsync()) row.NetworkPrefixLength = 24;
            db.CaseContacts.Add(new CaseContact
            {
                CaseId = caseId,
                Address = address,
                Source = "rdap",
                Sources = "rdap",
                Tier = "rdap-abuse",
                Confidence = "high",
                Rank = rank,
                EvidenceJson = """[{"query":"RDAP ip network 192.0.2.0/16 (parent)","answer":"abuse entity abuse@transit.example"}]""",
                NetworkPrefixLength = prefix,
                FirstSeenAt = rig.Time.GetUtcNow(),
                LastSeenAt = rig.Time.GetUtcNow(),
                RankedAt = rig.Time.GetUtcNow(),
            });
        });
    }

    [Fact]
    public async Task FirstNoticeSent_StartsTheSchedule_AndTheRetestIsRcptOnlyThroughTheProvingVariants()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var relay = new ScriptedRelay();
        var caseId = await NotifiedCaseAsync(rig, "192.0.2.30");
        var c = await rig.CaseAsync(caseId);

        var p = await RetestDueAsync(rig, caseId, relay);

        Assert.Equal((CaseState.Monitoring, NoticeRig.Start, NoticeRig.Start.AddDays(2)), (c.State, c.FirstNoticeAt, c.NextActionAt));
        var request = Assert.Single(relay.Requests);
        Assert.Equal((ProbeMode.RcptOnly, "plain"), (request.Mode, string.Join(',', request.Variants ?? [])));
        Assert.Equal((ProbeKind.Retest, RetestOutcome.Open, CaseWorkflow.Schedule), (p.Kind, p.RetestOutcome, p.RequestedBy));
        c = await rig.CaseAsync(caseId);
        Assert.Equal((CaseState.Monitoring, NoticeRig.Start.AddDays(7)), (c.State, c.NextActionAt));
        // The first notice is 2 days old: within Notices:RenotifyAfter, so no StillOpen yet.
        Assert.Single(await rig.NoticesAsync(caseId));
    }

    [Fact]
    public async Task RetestFindsItClosed_ResolvesTheCase_AndThanksEveryNotifiedAddressOnce()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var relay = new ScriptedRelay { Verdict = ProbeVerdict.Closed };
        var caseId = await NotifiedCaseAsync(rig, "192.0.2.31", First, Second);
        await rig.DbAsync(async db =>
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            var contact = await db.CaseContacts.SingleAsync(x => x.CaseId == caseId && x.Address == Second);
            db.Notices.Add(CaseWorkflow.PlanNotice(c, nameof(NoticeKind.FirstNotice), Second, contact.Id, "operator:test", null, rig.Time.GetUtcNow(), "operator:test", "test", rig.Time.GetUtcNow()));
        });
        await rig.DispatchAndRunAsync();

        await RetestDueAsync(rig, caseId, relay);
        await rig.DbAsync(async db =>
        {
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            await rig.Services.CreateScope().ServiceProvider.GetRequiredService<FollowUpNotices>().PlanResolvedAsync(c, rig.Time.GetUtcNow(), CancellationToken.None);
        });
        await rig.DispatchAndRunAsync();
        await RetestDueAsync(rig, caseId, relay);

        var c = await rig.CaseAsync(caseId);
        Assert.Equal((CaseState.Resolved, NoticeRig.Start.AddDays(2), (string?)null), (c.State, c.ResolvedAt, c.NextAction));
        var thanks = (await rig.NoticesAsync(caseId)).Where(n => n.Kind == nameof(NoticeKind.Resolved)).ToList();
        Assert.Equal([First, Second], thanks.Select(n => n.Recipient).Order());
        Assert.All(thanks, n => Assert.Equal(NoticeState.Sent, n.State));
    }

    [Fact]
    public async Task RecheckFindsItOpenAgain_ReopensTheCase_AndTellsTheContactsAgain()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var relay = new ScriptedRelay { Verdict = ProbeVerdict.Closed };
        var caseId = await NotifiedCaseAsync(rig, "192.0.2.32");
        await RetestDueAsync(rig, caseId, relay);

        relay.Verdict = ProbeVerdict.RcptAccepted;
        await RetestDueAsync(rig, caseId, relay);

        var c = await rig.CaseAsync(caseId);
        var reopenedAt = NoticeRig.Start.AddDays(32);
        Assert.Equal((CaseState.Monitoring, 1, NoticeRig.Start, reopenedAt.AddDays(2)), (c.State, c.ReopenCount, c.FirstNoticeAt, c.NextActionAt));
        Assert.Contains(c.Events, e => e.ToState == CaseState.Reopened);
        var stillOpen = Assert.Single(await rig.NoticesAsync(caseId), n => n.Kind == nameof(NoticeKind.StillOpen));
        Assert.Equal((First, NoticeState.Sent), (stillOpen.Recipient, stillOpen.State));
    }

    [Fact]
    public async Task IgnoredNotices_EscalateToTheLeastSpecificNetwork_AndThenTheCaseIsUnresponsive()
    {
        await using var rig = await NoticeRig.CreateAsync(("Retests:EscalateAfterIgnoredNotices", "2"), ("Notices:RenotifyAfter", "0"), ("Retests:UnresponsiveAfterEscalatedRetests", "1"));
        var relay = new ScriptedRelay();
        var caseId = await NotifiedCaseAsync(rig, "192.0.2.33");
        await AddContactAsync(rig, caseId, Upstream, 2, 16);

        await RetestDueAsync(rig, caseId, relay);
        var afterOne = (await rig.CaseAsync(caseId)).State;
        await RetestDueAsync(rig, caseId, relay);
        var escalated = await rig.CaseAsync(caseId);
        await RetestDueAsync(rig, caseId, relay);

        Assert.Equal((CaseState.Monitoring, CaseState.Escalated), (afterOne, escalated.State));
        Assert.Equal(NoticeRig.Start.AddDays(7), escalated.EscalatedAt);
        var notices = await rig.NoticesAsync(caseId);
        var escalation = Assert.Single(notices, n => n.Kind == nameof(NoticeKind.Escalation));
        Assert.Equal((Upstream, NoticeState.Sent), (escalation.Recipient, escalation.State));
        Assert.Contains(escalated.Events, e => e.Data is not null && e.Data.Contains("transit.example", StringComparison.Ordinal));
        Assert.Equal(CaseState.Unresponsive, (await rig.CaseAsync(caseId)).State);
        Assert.Equal(2, notices.Count(n => n.Recipient == First));
    }

    [Fact]
    public async Task AReply_ResetsTheIgnoredNotices_SoTheCaseIsNotEscalated()
    {
        await using var rig = await NoticeRig.CreateAsync(("Retests:EscalateAfterIgnoredNotices", "2"), ("Notices:RenotifyAfter", "0"));
        var relay = new ScriptedRelay();
        var caseId = await NotifiedCaseAsync(rig, "192.0.2.34");
        await AddContactAsync(rig, caseId, Upstream, 2, 16);
        await RetestDueAsync(rig, caseId, relay);

        // The inbox records a reply about the case on its timeline (ReplyRecorder).
        await rig.DbAsync(async db =>
            CaseWorkflow.MailReceived(await db.Cases.SingleAsync(x => x.Id == caseId), CaseEventKind.Reply, $"Reply from {First} (other): \"Re: relay\"", true, rig.Time.GetUtcNow().AddHours(1)));
        await RetestDueAsync(rig, caseId, relay);

        var c = await rig.CaseAsync(caseId);
        Assert.Equal(CaseState.Monitoring, c.State);
        Assert.DoesNotContain(await rig.NoticesAsync(caseId), n => n.Kind == nameof(NoticeKind.Escalation));
    }

    [Fact]
    public async Task IgnoredNotices_MakeTheCaseUnresponsive_WhenNobodyIsUpstream()
    {
        await using var rig = await NoticeRig.CreateAsync(("Retests:EscalateAfterIgnoredNotices", "1"));
        var relay = new ScriptedRelay();
        var caseId = await NotifiedCaseAsync(rig, "192.0.2.35");

        await RetestDueAsync(rig, caseId, relay);

        var c = await rig.CaseAsync(caseId);
        Assert.Equal((CaseState.Unresponsive, true), (c.State, c.NeedsAttention));
        Assert.Contains(c.Events, e => e.ToState == CaseState.Unresponsive && e.Summary.Contains("nobody upstream", StringComparison.Ordinal));
        Assert.Equal(NoticeRig.Start.AddDays(2) + new RetestOptions().ThenEvery, c.NextActionAt);
    }

    [Fact]
    public async Task QueuedRetest_IsRunOnceAfterARestart()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var relay = new ScriptedRelay();
        var caseId = await NotifiedCaseAsync(rig, "192.0.2.36");
        rig.Time.SetUtcNow(NoticeRig.Start.AddDays(2));
        await rig.DispatchAndRunAsync();
        var queued = await rig.DbAsync(db => db.Probes.AsNoTracking().SingleAsync(x => x.CaseId == caseId && x.Status == ProbeStatus.Queued));

        // The process stops with the retest queued (its job gone with the in-memory storage) and starts again.
        await using (var scope = rig.Services.CreateAsyncScope())
        {
            await ActivatorUtilities.CreateInstance<CaseDispatcher>(scope.ServiceProvider, (IBackgroundJobClient)new BackgroundJobClient(rig.Storage))
                .RecoverAsync(CancellationToken.None);
        }
        var enqueued = rig.Storage.GetMonitoringApi().EnqueuedJobs("default", 0, 100)
            .Where(j => j.Value.InEnqueuedState && j.Value.Job.Type == typeof(ProbeJob)).Select(j => (int)j.Value.Job.Args[0]).ToList();
        foreach (var id in enqueued.Append(queued.Id)) await RunProbeAsync(rig, relay, id);
        await rig.DispatchAndRunAsync();

        Assert.Equal([queued.Id], enqueued);
        Assert.Single(relay.Requests);
        var probes = await rig.DbAsync(db => db.Probes.AsNoTracking().Where(x => x.CaseId == caseId && x.Kind == ProbeKind.Retest).ToListAsync());
        Assert.Equal((ProbeStatus.Done, RetestOutcome.Open), (Assert.Single(probes).Status, probes[0].RetestOutcome));
        Assert.Equal(NoticeRig.Start.AddDays(7), (await rig.CaseAsync(caseId)).NextActionAt);
    }
}
