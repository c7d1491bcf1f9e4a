using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Notices;

namespace Notifier.Tests.Cases;

/// <summary>
/// Planning, approval, pacing, claiming and failover of notices, in process on a real SQLite file with fake time and a
/// sender that answers as told (the templates and the MIME builder are the real ones).
/// </summary>
public sealed class NoticeFlowTests
{
    private const string First = "abuse@isp.example";
    private const string Second = "noc@isp.example";

    [Fact]
    public async Task PlanFirstNotice_AwaitsApprovalAndNothingIsSent_WhenApprovalIsRequired()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await rig.CaseWithContactsAsync("192.0.2.10", CaseState.Confirmed, First, Second);

        var planned = await rig.PlanAsync(caseId);
        await rig.DispatchAndRunAsync();

        Assert.NotNull(planned);
        var n = Assert.Single(await rig.NoticesAsync(caseId));
        Assert.Equal((NoticeState.AwaitingApproval, First, nameof(NoticeKind.FirstNotice)), (n.State, n.Recipient, n.Kind));
        Assert.Empty(rig.Sender.Sent);
        Assert.Equal(CaseState.Notifying, (await rig.CaseAsync(caseId)).State);
    }

    [Fact]
    public async Task NoticeJob_SendsOnceAndCaseIsMonitored_WhenApproved()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await rig.CaseWithContactsAsync("192.0.2.11", CaseState.Confirmed, First);
        await rig.PlanAsync(caseId);

        await rig.ApproveAllAsync(caseId);
        var first = await rig.DispatchAndRunAsync();
        var n = Assert.Single(await rig.NoticesAsync(caseId));
        await rig.RunJobAsync(n.Id);
        await rig.DispatchAndRunAsync();

        Assert.Single(first);
        var (message, returnPath, recipient) = Assert.Single(rig.Sender.Sent);
        n = Assert.Single(await rig.NoticesAsync(caseId));
        Assert.Equal(NoticeState.Sent, n.State);
        Assert.Equal($"notice-{n.Id}@desk.test", n.MessageId);
        Assert.Equal(n.MessageId, message.MessageId);
        Assert.Equal(First, recipient);
        Assert.StartsWith($"bounces+n{n.Id}-", returnPath, StringComparison.Ordinal);
        Assert.Contains("[NR-", message.Subject, StringComparison.Ordinal);
        var c = await rig.CaseAsync(caseId);
        Assert.Equal(CaseState.Monitoring, c.State);
        Assert.Contains(c.Events, e => e.Kind == CaseEventKind.NoticeSent && e.Summary.Contains(First, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanFirstNotice_QueuesAndSends_WhenApprovalIsNotRequired()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.12", CaseState.Confirmed, First);

        await rig.PlanAsync(caseId);
        await rig.DispatchAndRunAsync();

        Assert.Equal(First, Assert.Single(rig.Sender.Sent).Recipient);
        Assert.Equal("system", Assert.Single(await rig.NoticesAsync(caseId)).ApprovedBy);
    }

    [Fact]
    public async Task PlanFirstNotice_PlansNothing_WhenCaseIsUnconfirmedAndNoOperatorOverrides()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.13", CaseState.Unconfirmed, First);

        Assert.Null(await rig.PlanAsync(caseId));
        Assert.Null(await rig.PlanAsync(caseId, "api:ops", allowUnconfirmed: false));
        await rig.DispatchAndRunAsync();
        Assert.Empty(rig.Sender.Sent);
        Assert.Empty(await rig.NoticesAsync(caseId));

        var overridden = await rig.PlanAsync(caseId, "api:ops", allowUnconfirmed: true);
        await rig.DispatchAndRunAsync();
        Assert.Equal("api:ops", overridden!.ApprovedBy);
        Assert.Equal(First, Assert.Single(rig.Sender.Sent).Recipient);
    }

    [Fact]
    public async Task NoticeJob_CancelsAndTakesTheNextContact_WhenSuppressionIsAddedAfterApproval()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.14", CaseState.Confirmed, First, Second);
        await rig.PlanAsync(caseId);
        // The ranking still says active: the suppression was added after it and is not re-ranked yet.
        await rig.DbAsync(db =>
        {
            db.Suppressions.Add(new Suppression { Value = First, Reason = "asked us to stop", AddedBy = "operator:test", AddedAt = rig.Time.GetUtcNow() });
            return Task.CompletedTask;
        });

        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();

        Assert.Equal([Second], rig.Sender.Sent.Select(s => s.Recipient));
        var notices = await rig.NoticesAsync(caseId);
        Assert.Equal([NoticeState.Cancelled, NoticeState.Sent], notices.Select(n => n.State));
    }

    [Fact]
    public async Task PlanFirstNotice_SkipsSuppressedDomain_WhenRankOneIsCovered()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await rig.CaseWithContactsAsync("192.0.2.15", CaseState.Confirmed, First, "abuse@upstream.example");
        await rig.DbAsync(db =>
        {
            db.Suppressions.Add(new Suppression { Value = "isp.example", Reason = "spam trap domain", AddedBy = "operator:test", AddedAt = rig.Time.GetUtcNow() });
            return Task.CompletedTask;
        });

        var n = await rig.PlanAsync(caseId);

        Assert.Equal("abuse@upstream.example", n!.Recipient);
    }

    [Fact]
    public async Task NoticeJob_FailsOverToTheNextContactWithApproval_WhenRecipientIsRejected()
    {
        await using var rig = await NoticeRig.CreateAsync();
        var caseId = await rig.CaseWithContactsAsync("192.0.2.16", CaseState.Confirmed, First, Second);
        await rig.PlanAsync(caseId);
        await rig.ApproveAllAsync(caseId);
        rig.Sender.Answer = r => r == First
            ? new NoticeDelivery(NoticeDeliveryOutcome.Rejected, "550 5.1.1 <abuse@isp.example>: Recipient address rejected: User unknown")
            : new NoticeDelivery(NoticeDeliveryOutcome.Accepted, "250 2.0.0 Ok");

        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();

        Assert.Equal([First, Second], rig.Sender.Sent.Select(s => s.Recipient));
        var notices = await rig.NoticesAsync(caseId);
        Assert.Equal([NoticeState.Rejected, NoticeState.Sent], notices.Select(n => n.State));
        Assert.Equal("operator:test", notices[1].ApprovedBy);
        Assert.Equal(notices[0].Id, notices[1].ReplacesNoticeId);
        var contact = await rig.DbAsync(db => db.CaseContacts.AsNoTracking().SingleAsync(c => c.CaseId == caseId && c.Address == First));
        Assert.Equal("bounced", contact.Status);
        Assert.True(await rig.DbAsync(db => db.ContactBounces.AnyAsync(b => b.Address == First && !b.Temporary)));
        Assert.Equal(CaseState.Monitoring, (await rig.CaseAsync(caseId)).State);
    }

    [Fact]
    public async Task NoticeJob_SaysNoWorkingContact_WhenTheLastContactIsRejected()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.17", CaseState.Confirmed, First, Second);
        await rig.PlanAsync(caseId);
        rig.Sender.Answer = _ => new NoticeDelivery(NoticeDeliveryOutcome.Rejected, "550 5.7.1 relay access denied");

        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();

        Assert.Equal([First, Second], rig.Sender.Sent.Select(s => s.Recipient));
        var c = await rig.CaseAsync(caseId);
        Assert.True(c.NeedsAttention);
        Assert.Contains(c.Events, e => e.Summary.StartsWith("No working contact", StringComparison.Ordinal));
        Assert.All(await rig.NoticesAsync(caseId), n => Assert.Equal(NoticeState.Rejected, n.State));
    }

    [Fact]
    public async Task NoticeJob_RetriesWithGrowingBackoffThenFails_WhenDeliveryIsDeferred()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"), ("Notices:MaxAttempts", "3"), ("Notices:RetryBaseDelay", "00:05:00"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.18", CaseState.Confirmed, First, Second);
        await rig.PlanAsync(caseId);
        rig.Sender.Answer = _ => new NoticeDelivery(NoticeDeliveryOutcome.Deferred, "451 4.3.0 try again later");

        await rig.DispatchAndRunAsync();
        var afterFirst = Assert.Single(await rig.NoticesAsync(caseId));
        rig.Time.Advance(TimeSpan.FromMinutes(4));
        await rig.DispatchAndRunAsync();
        var sentBeforeDue = rig.Sender.Sent.Count;
        rig.Time.Advance(TimeSpan.FromMinutes(1));
        await rig.DispatchAndRunAsync();
        var afterSecond = Assert.Single(await rig.NoticesAsync(caseId));
        rig.Time.Advance(TimeSpan.FromMinutes(10));
        await rig.DispatchAndRunAsync();

        Assert.Equal(NoticeRig.Start + TimeSpan.FromMinutes(5), afterFirst.NextAttemptAt);
        Assert.Equal(1, sentBeforeDue);
        Assert.Equal(NoticeRig.Start + TimeSpan.FromMinutes(5 + 10), afterSecond.NextAttemptAt);
        Assert.Equal(3, rig.Sender.Sent.Count);
        var n = Assert.Single(await rig.NoticesAsync(caseId));
        Assert.Equal((NoticeState.Failed, 3), (n.State, n.Attempts));
        Assert.True((await rig.CaseAsync(caseId)).NeedsAttention);
    }

    [Fact]
    public async Task NoticeJob_WaitsForTheNextUtcDay_WhenTheDomainsDailyBudgetIsSpent()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"), ("Notices:DailyBudgetPerDomain", "2"));
        var cases = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            // A different address at the same domain per relay: the budget is the domain's, and one address would be batched.
            var caseId = await rig.CaseWithContactsAsync($"192.0.2.{30 + i}", CaseState.Confirmed, $"abuse{i}@isp.example");
            await rig.PlanAsync(caseId);
            cases.Add(caseId);
        }

        await rig.DispatchAndRunAsync();
        var third = Assert.Single(await rig.NoticesAsync(cases[2]));
        rig.Time.Advance(TimeSpan.FromHours(14));
        await rig.DispatchAndRunAsync();
        var stillToday = rig.Sender.Sent.Count;
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.DispatchAndRunAsync();

        Assert.Equal(2, stillToday);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), third.NextAttemptAt);
        Assert.Contains("DailyBudgetPerDomain", third.LastError, StringComparison.Ordinal);
        Assert.Equal(3, rig.Sender.Sent.Count);
    }

    [Fact]
    public async Task NoticeJob_HoldsASecondNoticeBack_WhenTheSameContactWasToldWithinRenotifyAfterAndNothingChanged()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"), ("Notices:RenotifyAfter", "7"));
        var first = await rig.CaseWithContactsAsync("192.0.2.40", CaseState.Confirmed, First);
        await rig.PlanAsync(first);
        await rig.DispatchAndRunAsync();
        // The operator closes the case and the relay is reported again: a new case of the same relay, proven again.
        await rig.DbAsync(async db => CaseWorkflow.Close(await db.Cases.SingleAsync(c => c.Id == first), "operator:test", CloseReason.Other, "test", rig.Time.GetUtcNow()));
        var second = await rig.CaseWithContactsAsync("192.0.2.40", CaseState.Confirmed, First);
        await rig.PlanAsync(second);

        rig.Time.Advance(TimeSpan.FromDays(3));
        await rig.DispatchAndRunAsync();
        var held = Assert.Single(await rig.NoticesAsync(second));
        rig.Time.Advance(TimeSpan.FromDays(4));
        await rig.DispatchAndRunAsync();

        Assert.Equal(NoticeRig.Start + TimeSpan.FromDays(7), held.NextAttemptAt);
        Assert.Contains("RenotifyAfter", held.LastError, StringComparison.Ordinal);
        Assert.Equal(2, rig.Sender.Sent.Count);
    }

    [Fact]
    public async Task NoticeJob_SendsAgainWithinRenotifyAfter_WhenTheCaseStateChanged()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"), ("Notices:RenotifyAfter", "7"));
        var first = await rig.CaseWithContactsAsync("192.0.2.41", CaseState.Unconfirmed, First);
        await rig.PlanAsync(first, "api:ops", allowUnconfirmed: true);
        await rig.DispatchAndRunAsync();
        await rig.DbAsync(async db => CaseWorkflow.Close(await db.Cases.SingleAsync(c => c.Id == first), "operator:test", CloseReason.Other, "test", rig.Time.GetUtcNow()));
        var second = await rig.CaseWithContactsAsync("192.0.2.41", CaseState.Confirmed, First);
        await rig.PlanAsync(second);

        rig.Time.Advance(TimeSpan.FromDays(1));
        await rig.DispatchAndRunAsync();

        Assert.Equal(2, rig.Sender.Sent.Count);
    }

    [Fact]
    public async Task NoticeJob_MarksInterruptedAndDoesNotResend_WhenTheProcessDiedBetweenSendAndCommit()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.50", CaseState.Confirmed, First);
        var n = await rig.PlanAsync(caseId);

        await Assert.ThrowsAsync<OperationCanceledException>(() => rig.RunJobAsync(n!.Id, () => throw new OperationCanceledException("killed after the hand-over")));
        await rig.DispatchAndRunAsync();
        rig.Time.Advance(TimeSpan.FromHours(1));
        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();

        Assert.Single(rig.Sender.Sent);
        var after = Assert.Single(await rig.NoticesAsync(caseId));
        Assert.Equal(NoticeState.Interrupted, after.State);
        Assert.Contains("may have been sent", after.LastError, StringComparison.Ordinal);
        Assert.True((await rig.CaseAsync(caseId)).NeedsAttention);
    }

    [Fact]
    public async Task NoticeJob_MarksTheNoticeAndTheNoticesItCarriesInterruptedAndNeverSendsAgain_WhenTheHandOverIsUncertain()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        // Two relays of one contact: one message carries both (batching), so both may have gone out.
        var carrierCase = await rig.CaseWithContactsAsync("192.0.2.53", CaseState.Confirmed, First, Second);
        await rig.PlanAsync(carrierCase);
        var carriedCase = await rig.CaseWithContactsAsync("192.0.2.54", CaseState.Confirmed, First, Second);
        await rig.PlanAsync(carriedCase);
        rig.Sender.Answer = _ => new NoticeDelivery(NoticeDeliveryOutcome.Uncertain, "smarthost accepted the recipient, then the connection dropped");

        await rig.DispatchAndRunAsync();
        rig.Time.Advance(TimeSpan.FromDays(2));
        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();

        Assert.Equal([First], rig.Sender.Sent.Select(s => s.Recipient));
        foreach (var caseId in new[] { carrierCase, carriedCase })
        {
            var n = Assert.Single(await rig.NoticesAsync(caseId));
            Assert.Equal(NoticeState.Interrupted, n.State);
            Assert.Contains("connection dropped", n.LastError, StringComparison.Ordinal);
            Assert.Contains("may have been sent", n.LastError, StringComparison.Ordinal);
            Assert.True((await rig.CaseAsync(caseId)).NeedsAttention);
        }
    }

    [Fact]
    public async Task NoticeJob_LeavesTheNoticeInterruptedAndNeverQueuesItAgain_WhenTheSendOutlastsItsLeaseAndComesBackDeferred()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.55", CaseState.Confirmed, First, Second);
        var n = await rig.PlanAsync(caseId);
        rig.Sender.Answer = _ => new NoticeDelivery(NoticeDeliveryOutcome.Deferred, "451 4.4.2 timeout");

        // While the first job is still in SendAsync, the lease (Notices:SendLease + Jobs:LeaseMargin) runs out and the
        // dispatcher has the notice recorded interrupted.
        await rig.RunJobAsync(n!.Id, async () =>
        {
            rig.Time.Advance(TimeSpan.FromMinutes(10));
            await rig.DispatchAndRunAsync();
        });
        var afterLateDeferred = Assert.Single(await rig.NoticesAsync(caseId));
        rig.Time.Advance(TimeSpan.FromDays(2));
        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();

        Assert.Equal((NoticeState.Interrupted, (DateTimeOffset?)null), (afterLateDeferred.State, afterLateDeferred.NextAttemptAt));
        Assert.Single(rig.Sender.Sent);
        Assert.Equal(NoticeState.Interrupted, Assert.Single(await rig.NoticesAsync(caseId)).State);
    }

    [Fact]
    public async Task NoticeJob_MarksTheNoticeSent_WhenTheSendOutlastsItsLeaseAndTheSmarthostAcceptsItLate()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.56", CaseState.Confirmed, First, Second);
        var n = await rig.PlanAsync(caseId);
        string? stateDuringSend = null;

        await rig.RunJobAsync(n!.Id, async () =>
        {
            rig.Time.Advance(TimeSpan.FromMinutes(10));
            await rig.DispatchAndRunAsync();
            stateDuringSend = Assert.Single(await rig.NoticesAsync(caseId)).State;
        });
        await rig.DispatchAndRunAsync();

        Assert.Equal(NoticeState.Interrupted, stateDuringSend);
        Assert.Single(rig.Sender.Sent);
        var after = Assert.Single(await rig.NoticesAsync(caseId));
        Assert.Equal(NoticeState.Sent, after.State);
        Assert.Contains("after the notice had been marked interrupted", after.DeliveryDetail, StringComparison.Ordinal);
        Assert.Equal(CaseState.Monitoring, (await rig.CaseAsync(caseId)).State);
    }

    [Fact]
    public async Task NoticeJob_CancelsTheOperatorsPendingResend_WhenTheInterruptedNoticeIsAcceptedLate()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.57", CaseState.Confirmed, First);
        var n = await rig.PlanAsync(caseId);

        await rig.RunJobAsync(n!.Id, async () =>
        {
            rig.Time.Advance(TimeSpan.FromMinutes(10));
            await rig.DispatchAndRunAsync();
            // The operator sees it interrupted and resends it before the first send has come back.
            var resend = await rig.DbAsync(db => NoticeActions.ResendAsync(db, new NoticeSuppressions(db), n.Id, "operator:test", rig.Time.GetUtcNow(), CancellationToken.None));
            Assert.True(resend.Succeeded);
        });
        await rig.DispatchAndRunAsync();

        Assert.Single(rig.Sender.Sent);
        Assert.Equal([NoticeState.Sent, NoticeState.Cancelled], (await rig.NoticesAsync(caseId)).Select(x => x.State));
    }

    [Fact]
    public async Task NoticeJob_SendsOnce_WhenTwoCopiesOfTheJobRun()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.51", CaseState.Confirmed, First);
        var n = await rig.PlanAsync(caseId);

        await Task.WhenAll(rig.RunJobAsync(n!.Id), rig.RunJobAsync(n.Id));
        await rig.RunJobAsync(n.Id);

        Assert.Single(rig.Sender.Sent);
        Assert.Equal(NoticeState.Sent, Assert.Single(await rig.NoticesAsync(caseId)).State);
    }

    [Fact]
    public async Task NoticeBounces_FailsOverToTheNextContact_WhenADsnForASentNoticeArrives()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.52", CaseState.Confirmed, First, Second);
        await rig.PlanAsync(caseId);
        await rig.DispatchAndRunAsync();
        var sent = Assert.Single(await rig.NoticesAsync(caseId));

        await rig.DbAsync(async db =>
        {
            var batch = new NoticeBatch(db, new NoticePacing(db, Microsoft.Extensions.Options.Options.Create(new NoticePolicyOptions())));
            var metrics = rig.Services.GetRequiredService<Notifier.Telemetry.NotifierMetrics>();
            var bounces = new NoticeBounces(db, new NoticeFailover(db, new NoticeSuppressions(db), metrics), batch, metrics);
            await bounces.BouncedAsync(sent.Id, permanent: true, "5.1.1 (550 5.1.1 user unknown)", "unknown-user", rig.Time.GetUtcNow(), CancellationToken.None);
        });
        await rig.DispatchAndRunAsync();

        Assert.Equal([First, Second], rig.Sender.Sent.Select(s => s.Recipient));
        Assert.Equal([NoticeState.Rejected, NoticeState.Sent], (await rig.NoticesAsync(caseId)).Select(n => n.State));
    }
}
