using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Notices;
using Notifier.Probing;
using static Notifier.Tests.Cases.RetestSamples;

namespace Notifier.Tests.Cases;

/// <summary>The retest steps of the state machine in fake time: the schedule, what each outcome does, the minimum interval.</summary>
public sealed class RetestWorkflowTests
{
    private static readonly RetestOptions Defaults = new();

    [Fact]
    public void FirstNoticeSent_SchedulesTheFirstRetestTwoDaysLater_AndFollowUpsLeaveTheSchedule()
    {
        var c = At(CaseState.Notifying, Start);
        var first = new Notice { Recipient = "abuse@example.org", Kind = nameof(NoticeKind.FirstNotice), CaseStateAtPlan = CaseState.Confirmed };

        CaseWorkflow.NoticeSent(c, first, "test", "250 ok", Defaults, Start);
        var later = new Notice { Recipient = "abuse@example.org", Kind = nameof(NoticeKind.StillOpen), CaseStateAtPlan = CaseState.Monitoring };
        CaseWorkflow.NoticeSent(c, later, "test", "250 ok", Defaults, Start.AddHours(1));

        Assert.Equal((CaseState.Monitoring, Start, CaseAction.Retest, Start.AddDays(2), 0), (c.State, c.FirstNoticeAt, c.NextAction, c.NextActionAt, c.RetestsDone));
    }

    [Fact]
    public void ResolvedThankYouSent_KeepsTheCaseResolved()
    {
        var c = Notified(Start, CaseState.Resolved);
        var thanks = new Notice { Recipient = "abuse@example.org", Kind = nameof(NoticeKind.Resolved), CaseStateAtPlan = CaseState.Resolved };

        CaseWorkflow.NoticeSent(c, thanks, "test", "250 ok", Defaults, Start.AddDays(3));

        Assert.Equal(CaseState.Resolved, c.State);
    }

    [Fact]
    public void FollowUpPlanned_DoesNotMoveTheCase_WhenItIsMonitored()
    {
        var c = Notified(Start);

        CaseWorkflow.PlanNotice(c, nameof(NoticeKind.StillOpen), "abuse@example.org", null, "system", null, Start, "system", "test", Start);

        Assert.Equal(CaseState.Monitoring, c.State);
    }

    [Fact]
    public void OpenRetests_FollowTheDefaultSchedule_ThenEveryThirtyDays()
    {
        var c = Notified(Start);
        var due = new List<DateTimeOffset>();

        for (var i = 0; i < 6; i++)
        {
            var at = i == 0 ? Start.AddDays(2) : c.NextActionAt!.Value;
            Retest(c, ProbeVerdict.RcptAccepted, at);
            due.Add(c.NextActionAt!.Value);
        }

        Assert.Equal([Start.AddDays(7), Start.AddDays(14), Start.AddDays(30), Start.AddDays(60), Start.AddDays(90), Start.AddDays(120)], due);
        Assert.Equal(CaseState.Monitoring, c.State);
        Assert.All(c.Probes, p => Assert.Equal((ProbeKind.Retest, ProbeMode.RcptOnly, "plain", RetestOutcome.Open), (p.Kind, p.Mode, p.Variants, p.RetestOutcome)));
    }

    [Fact]
    public void OpenRetests_FollowAConfiguredSchedule()
    {
        var options = new RetestOptions { Schedule = [TimeSpan.FromDays(1), TimeSpan.FromDays(3)], ThenEvery = TimeSpan.FromDays(10) };
        var c = Notified(Start);

        Retest(c, ProbeVerdict.RcptAccepted, Start.AddDays(1), options);
        var second = c.NextActionAt;
        Retest(c, ProbeVerdict.RcptAccepted, second!.Value, options);

        Assert.Equal((Start.AddDays(3), Start.AddDays(13)), (second, c.NextActionAt));
    }

    [Fact]
    public void PlannedRetests_ListsTheNextSlotsOfThePolicy()
    {
        var c = Notified(Start);
        c.NextAction = CaseAction.Retest;
        c.NextActionAt = Start.AddDays(2);

        var planned = CaseWorkflow.PlannedRetests(c, Defaults, 6);

        Assert.Equal([Start.AddDays(2), Start.AddDays(7), Start.AddDays(14), Start.AddDays(30), Start.AddDays(60), Start.AddDays(90)], planned);
    }

    [Fact]
    public void Validate_RefusesTheSchedule_WhenItIsNotAscending()
    {
        var result = new RetestOptionsValidator().Validate(null, new RetestOptions { Schedule = [TimeSpan.FromDays(7), TimeSpan.FromDays(2)] });

        Assert.True(result.Failed);
        Assert.Contains("Retests:Schedule:1 (2.00:00:00) must be later than Retests:Schedule:0 (7.00:00:00)", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void RetestFinished_ResolvesTheCase_AndRechecksOnce_WhenTheRelayIsClosed()
    {
        var c = Notified(Start);

        var followUp = Retest(c, ProbeVerdict.Closed, Start.AddDays(2));
        var resolved = (c.State, c.ResolvedAt, c.NextActionAt);
        var recheck = Retest(c, ProbeVerdict.Closed, c.NextActionAt!.Value);

        Assert.Equal(RetestFollowUp.Resolved, followUp);
        Assert.Equal((CaseState.Resolved, Start.AddDays(2), Start.AddDays(32)), resolved);
        Assert.Equal((RetestFollowUp.None, CaseState.Resolved, (string?)null), (recheck, c.State, c.NextAction));
        Assert.Equal(RetestOutcome.Closed, c.Probes[0].RetestOutcome);
    }

    [Fact]
    public void RetestFinished_IsInconclusive_NeverResolved_WhenTheServerOnlyEverAnswers4xx()
    {
        var cases = new CasesOptions { MaxGreylistRetries = 2 };
        var c = Notified(Start);
        var at = Start.AddDays(2);
        var p = CaseWorkflow.QueueRetest(c, ["plain"], CaseWorkflow.Schedule, at);

        for (var retry = 0; retry <= cases.MaxGreylistRetries; retry++)
        {
            CaseWorkflow.RetestFinished(c, p, Result(ProbeVerdict.TempRefused, at), Defaults, cases, new RetestHistory(0, 0), at);
            if (retry == cases.MaxGreylistRetries) break;
            Assert.Equal((CaseAction.RetryProbe, at + cases.GreylistRetryDelay, (string?)null), (c.NextAction, c.NextActionAt, p.RetestOutcome));
            at = c.NextActionAt!.Value;
            p = CaseWorkflow.QueueProbeRetry(c, p, at);
            Assert.Equal((ProbeKind.Retest, ProbeMode.RcptOnly, "plain", CaseWorkflow.Schedule, p.Key), (p.Kind, p.Mode, p.Variants, p.RequestedBy, c.Probes[0].Key));
        }

        Assert.Equal(RetestOutcome.Inconclusive, p.RetestOutcome);
        Assert.Equal((CaseState.Monitoring, 1, CaseAction.Retest, at + Defaults.InconclusiveRetryDelay), (c.State, c.InconclusiveInARow, c.NextAction, c.NextActionAt));
    }

    [Fact]
    public void RetestFinished_TriesAgainAfterTheDelay_ThenWaitsForTheNextSlot_WhenUnreachable()
    {
        var c = Notified(Start);
        var at = Start.AddDays(2);
        var due = new List<DateTimeOffset>();

        for (var i = 0; i < Defaults.MaxInconclusiveInARow; i++)
        {
            Retest(c, ProbeVerdict.Unreachable, at);
            due.Add(c.NextActionAt!.Value);
            at = c.NextActionAt!.Value;
        }
        Retest(c, ProbeVerdict.RcptAccepted, Start.AddDays(7));

        var six = Defaults.InconclusiveRetryDelay;
        Assert.Equal([Start.AddDays(2) + six, Start.AddDays(2) + six + six, Start.AddDays(7)], due);
        Assert.Equal((CaseState.Monitoring, 0, Start.AddDays(14)), (c.State, c.InconclusiveInARow, c.NextActionAt));
    }

    [Fact]
    public void RequestRetest_RunsOneRetest_WhenTwentyRequestsComeInABurst()
    {
        var c = Notified(Start);
        var now = Start.AddDays(3);
        var times = new List<DateTimeOffset>();

        for (var i = 0; i < 20; i++) times.Add(CaseWorkflow.RequestRetest(c, "owner", $"request {i}", Defaults, now.AddSeconds(i)));
        CaseWorkflow.QueueRetest(c, ["plain"], c.NextActionRequestedBy!, now.AddSeconds(20));
        var after = CaseWorkflow.RequestRetest(c, "operator:ann", "again", Defaults, now.AddSeconds(30));

        Assert.All(times, t => Assert.Equal(now, t));
        Assert.Single(c.Probes);
        Assert.Equal("owner", c.Probes[0].RequestedBy);
        Assert.Equal(now.AddSeconds(20) + Defaults.MinInterval, after);
    }

    [Fact]
    public void RetestFinished_Reopens_AndRestartsTheSchedule_WhenAResolvedRelayIsOpenAgain()
    {
        var c = Notified(Start);
        Retest(c, ProbeVerdict.Closed, Start.AddDays(2));
        var reopenedAt = c.NextActionAt!.Value;

        var followUp = Retest(c, ProbeVerdict.RcptAccepted, reopenedAt);

        Assert.Equal(RetestFollowUp.Reopened, followUp);
        Assert.Equal((CaseState.Reopened, 1, Start, reopenedAt, Start.AddDays(2)), (c.State, c.ReopenCount, c.FirstNoticeAt, c.ScheduleFrom, c.ResolvedAt));
        Assert.Equal(reopenedAt.AddDays(2), c.NextActionAt);
    }

    [Fact]
    public void RetestFinished_AsksForEscalation_WhenEnoughNoticesWereIgnored()
    {
        var c = Notified(Start);

        var quiet = Retest(c, ProbeVerdict.RcptAccepted, Start.AddDays(2), history: new RetestHistory(Defaults.EscalateAfterIgnoredNotices - 1, 0));
        var ignored = Retest(c, ProbeVerdict.RcptAccepted, Start.AddDays(7), history: new RetestHistory(Defaults.EscalateAfterIgnoredNotices, 0));

        Assert.Equal((RetestFollowUp.StillOpen, RetestFollowUp.Escalation), (quiet, ignored));
    }

    [Fact]
    public void RetestFinished_CallsItUnresponsive_AfterTheEscalatedRetests_AndRetestsMonthly()
    {
        var c = Notified(Start);
        CaseWorkflow.Escalate(c, "abuse@upstream.example", "[]", 3, Start.AddDays(14));

        Retest(c, ProbeVerdict.RcptAccepted, Start.AddDays(30), history: new RetestHistory(3, 0));
        var afterOne = c.State;
        Retest(c, ProbeVerdict.RcptAccepted, c.NextActionAt!.Value, history: new RetestHistory(3, 1));
        var at = c.NextActionAt;
        var followUp = Retest(c, ProbeVerdict.RcptAccepted, at!.Value, history: new RetestHistory(3, 2));

        Assert.Equal((CaseState.Escalated, CaseState.Unresponsive, RetestFollowUp.None), (afterOne, c.State, followUp));
        Assert.Equal(at!.Value + Defaults.ThenEvery, c.NextActionAt);
    }

    [Fact]
    public void PlanUnreachableReprobe_ProbesAfreshABoundedNumberOfTimes()
    {
        var c = At(CaseState.Unreachable, Start);
        c.NextAction = null;
        var options = new RetestOptions { MaxUnreachableReprobes = 2 };

        var planned = new List<DateTimeOffset?>();
        for (var i = 0; i < 3; i++)
        {
            CaseWorkflow.PlanUnreachableReprobe(c, options, Start);
            planned.Add(c.NextActionAt);
            c.NextAction = null;
            c.NextActionAt = null;
        }

        Assert.Equal([Start + options.UnreachableReprobeAfter, Start + options.UnreachableReprobeAfter, null], planned);
        Assert.Equal(2, c.UnreachableReprobes);
    }

    [Fact]
    public void PlanUnconfirmedReprobe_ProbesAfreshOnce()
    {
        var c = At(CaseState.Unconfirmed, Start);
        c.NextAction = null;

        CaseWorkflow.PlanUnconfirmedReprobe(c, null, Defaults, Start);
        var first = (c.NextAction, c.NextActionAt, c.NextActionRequestedBy);
        c.NextAction = null;
        CaseWorkflow.PlanUnconfirmedReprobe(c, CaseWorkflow.Reprobe, Defaults, Start.AddDays(8));

        Assert.Equal((CaseAction.Probe, Start + Defaults.UnconfirmedReprobeAfter, CaseWorkflow.Reprobe), first);
        Assert.Null(c.NextAction);
    }

    [Fact]
    public void AddReport_RequestsARetest_WhenTheRelayWasResolved()
    {
        var c = Notified(Start, CaseState.Resolved);
        c.LastRetestAt = Start.AddDays(2);
        c.NextAction = CaseAction.Retest;
        c.NextActionAt = Start.AddDays(32);

        CaseWorkflow.AddReport(c, "feed", "still spamming", "api:feed", Defaults, Start.AddDays(5));

        Assert.Equal((CaseAction.Retest, Start.AddDays(5), "api:feed"), (c.NextAction, c.NextActionAt, c.NextActionRequestedBy));
    }

    [Fact]
    public void AddReport_LeavesTheSchedule_WhenTheRelayIsMonitored()
    {
        var c = Notified(Start);
        c.NextAction = CaseAction.Retest;
        c.NextActionAt = Start.AddDays(2);

        CaseWorkflow.AddReport(c, "feed", null, "api:feed", Defaults, Start.AddDays(1));

        Assert.Equal(Start.AddDays(2), c.NextActionAt);
    }

    [Fact]
    public void Close_RecordsTheReason_AndRefusesAnUnknownOne()
    {
        var c = At(CaseState.Monitoring, Start);

        Assert.Throws<ArgumentException>(() => CaseWorkflow.Close(c, "operator:ann", "because", null, Start));
        CaseWorkflow.Close(c, "operator:ann", CloseReason.FalsePositive, "the canary came from elsewhere", Start);

        Assert.Equal((CaseState.Closed, CloseReason.FalsePositive, (string?)null), (c.State, c.ClosedReason, c.NextAction));
    }

    [Fact]
    public void ProbeRefused_ClosesTheCaseAsCannotProbe()
    {
        var c = At(CaseState.New, Start);
        var p = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, Start);

        CaseWorkflow.ProbeRefused(c, p, "private target", Start);

        Assert.Equal((CaseState.Closed, CloseReason.CannotProbe), (c.State, c.ClosedReason));
    }

    [Fact]
    public void RetestNotRun_IsInconclusive_AndFlagsTheCase_InsteadOfClosingIt()
    {
        var c = Notified(Start);
        var at = Start.AddDays(2);
        var p = CaseWorkflow.QueueRetest(c, ["sender-own-domain-postmaster:old.example"], CaseWorkflow.Schedule, at);

        CaseWorkflow.RetestNotRun(c, p, "no relay-test variant named sender-own-domain-postmaster:old.example", Defaults, at);

        Assert.Equal((ProbeStatus.Skipped, RetestOutcome.Inconclusive), (p.Status, p.RetestOutcome));
        Assert.Equal((CaseState.Monitoring, true, CaseAction.Retest, at + Defaults.InconclusiveRetryDelay), (c.State, c.NeedsAttention, c.NextAction, c.NextActionAt));
        Assert.Null(c.ClosedReason);
    }
}
