using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;
using Notifier.Probing;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Cases;

/// <summary>
/// Whole lives of cases in seconds (issue 12, "How it is tested"): the real service and job server on a fake clock,
/// real Postfix relays of the loopback lab (the switch relay "fixed" and opened again between retests), the canary
/// through the sink and Dovecot, notices written to the outbox. Each step moves the clock to the next due moment and
/// asserts the exact probes, notices and states so far.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class CaseLifeTests(Notifier.Tests.Lab.Lab lab)
{
    private const string Owner = "abuse@owner.test";

    private static readonly string First = nameof(NoticeKind.FirstNotice);

    private static readonly ProbeSeen InitialConfirmed = new(ProbeKind.Initial, "quick", "confirmed", null);

    /// <summary>Report → probe → canary → Confirmed → contacts → FirstNotice approved and sent → Monitoring.</summary>
    private static async Task<(int CaseId, CaseLife Life)> NotifiedAsync(LifeLab life, HttpClient client, string instance)
    {
        await LifeLab.AddContactAsync(client, Owner);
        var caseId = await life.ReportAsync(client, instance);
        var pending = await NoticeLab.AwaitingApprovalAsync(client, caseId);
        Assert.Equal(Owner, pending.GetProperty("recipient").GetString());
        var before = await life.LifeAsync(caseId);
        Assert.Equal([InitialConfirmed], before.Probes);
        Assert.Equal([new NoticeSeen(First, Owner, NoticeState.AwaitingApproval)], before.Notices);
        Assert.Equal(CaseState.Notifying, before.Case.State);

        await NoticeLab.ApproveAsync(client, pending.GetProperty("id").GetInt64());
        var notified = await life.SettledAsync(caseId, 1, l => l.Case.State == CaseState.Monitoring);
        Assert.Equal([InitialConfirmed], notified.Probes);
        Assert.Equal([new NoticeSeen(First, Owner, NoticeState.Sent)], notified.Notices);
        Assert.Equal([CaseState.Probing, CaseState.Suspected, CaseState.Confirmed, CaseState.Notifying, CaseState.Monitoring], notified.States);
        await AssertOutboxAsync(life, notified, First);
        return (caseId, notified);
    }

    /// <summary>The outbox holds exactly the case's sent notices, one file each, to their recipients, with the case tag.</summary>
    private static async Task AssertOutboxAsync(LifeLab life, CaseLife l, params string[] kinds)
    {
        var outbox = await life.OutboxAsync();
        var sent = l.NoticeRows.Where(n => n.State == NoticeState.Sent).ToList();
        Assert.Equal(kinds, sent.Select(n => n.Kind));
        Assert.Equal(sent.Select(n => n.MessageId!).Order(StringComparer.Ordinal), outbox.Keys.Order(StringComparer.Ordinal));
        foreach (var n in sent)
        {
            Assert.Equal(n.Recipient, outbox[n.MessageId!].To);
            Assert.Contains($"[{CaseReference.Format(l.Case.Id)}]", outbox[n.MessageId!].Subject, StringComparison.Ordinal);
        }
    }

    private static readonly string StillOpen = nameof(NoticeKind.StillOpen);

    private static readonly string Resolved = nameof(NoticeKind.Resolved);

    private static readonly string Escalation = nameof(NoticeKind.Escalation);

    private static readonly ProbeSeen RetestOpen = new(ProbeKind.Retest, "rcpt-only", "rcpt-accepted", RetestOutcome.Open);

    private static readonly ProbeSeen RetestClosed = new(ProbeKind.Retest, "rcpt-only", "closed", RetestOutcome.Closed);

    /// <summary>
    /// Every open retest is worth a StillOpen (one day between notices to one address, not the default week, so that
    /// the +2 d retest writes one), and the direct contacts are never given up on in this life (no escalation).
    /// </summary>
    private static readonly Dictionary<string, string?> RenotifyDaily = new()
    {
        ["Notices:RenotifyAfter"] = "1",
        ["Retests:EscalateAfterIgnoredNotices"] = "20",
    };

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    // The whole walk (notice, retests, a restart, resolved, reopened) on both providers; the other lives stay on
    // SQLite to keep the suite's time (each PostgreSQL variant adds its whole run).
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CaseLife_IsResolvedWhenFixedAndReopenedWhenOpenAgain_OverFortyFiveDaysOfRetestsOfTheSwitchRelay(string provider)
    {
        await using var life = await LifeLab.StartAsync(lab, provider, RenotifyDaily);
        try
        {
            var client = await life.ClientAsync();
            var (caseId, notified) = await NotifiedAsync(life, client, "SWITCH");
            var t0 = notified.Case.FirstNoticeAt!.Value;
            Assert.Equal(notified.NoticeRows.Single().SentAt, t0);
            Assert.Equal((CaseAction.Retest, t0 + 2 * Day), (notified.Case.NextAction, notified.Case.NextActionAt));
            string[] monitored = [CaseState.Probing, CaseState.Suspected, CaseState.Confirmed, CaseState.Notifying, CaseState.Monitoring];

            // +2 d: still open. A retest is RCPT only through the variant that relayed, and sends no test message.
            life.AdvanceTo(t0 + 2 * Day);
            var day2 = await life.SettledAsync(caseId, 2, l => l.Notices.Count == 2);
            Assert.Equal([InitialConfirmed, RetestOpen], day2.Probes);
            Assert.Equal([new(First, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent)], day2.Notices);
            Assert.Equal(monitored, day2.States);
            Assert.Equal((CaseAction.Retest, t0 + 7 * Day), (day2.Case.NextAction, day2.Case.NextActionAt));
            Assert.Equal(CaseWorkflow.Schedule, day2.ProbeRows[1].RequestedBy);
            Assert.Equal(day2.ProbeRows[0].AcceptedVariants, day2.ProbeRows[1].Variants);
            Assert.Empty(await life.DbAsync(db => db.ProbeTestMessages.Where(m => m.ProbeId == day2.ProbeRows[1].Id).ToListAsync()));
            await AssertOutboxAsync(life, day2, First, StillOpen);

            // +7 d: still open, another StillOpen.
            life.AdvanceTo(t0 + 7 * Day);
            var day7 = await life.SettledAsync(caseId, 3, l => l.Notices.Count == 3);
            Assert.Equal([InitialConfirmed, RetestOpen, RetestOpen], day7.Probes);
            Assert.Equal([new(First, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent)], day7.Notices);
            Assert.Equal(monitored, day7.States);
            Assert.Equal((CaseAction.Retest, t0 + 14 * Day), (day7.Case.NextAction, day7.Case.NextActionAt));

            // A restart in the middle of the schedule (+10 d): the next retest is still due at +14 d, nothing ran twice.
            life.AdvanceTo(t0 + 10 * Day);
            await life.RestartAsync();
            client = await life.ClientAsync();
            life.AdvanceTo(t0 + 10 * Day + TimeSpan.FromMinutes(1));
            await Task.Delay(TimeSpan.FromSeconds(3));
            var restarted = await life.SettledAsync(caseId, 3);
            Assert.Equal(day7.Probes, restarted.Probes);
            Assert.Equal(day7.Notices, restarted.Notices);
            Assert.Equal(monitored, restarted.States);
            Assert.Equal((CaseAction.Retest, t0 + 14 * Day), (restarted.Case.NextAction, restarted.Case.NextActionAt));
            await AssertOutboxAsync(life, restarted, First, StillOpen, StillOpen);

            // The owner fixes the relay; the +14 d retest finds it closed: Resolved, and a thank-you.
            lab.SwitchRelay(Notifier.Tests.Lab.Lab.Closed);
            life.AdvanceTo(t0 + 14 * Day);
            var day14 = await life.SettledAsync(caseId, 4, l => l.Notices.Count == 4);
            Assert.Equal([InitialConfirmed, RetestOpen, RetestOpen, RetestClosed], day14.Probes);
            Assert.Equal([new(First, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent), new(Resolved, Owner, NoticeState.Sent)], day14.Notices);
            Assert.Equal([.. monitored, CaseState.Resolved], day14.States);
            Assert.Equal(t0 + 14 * Day, day14.Case.ResolvedAt);
            // One recheck after Retests:ResolvedRecheckAfter (30 d) catches a relay opened again.
            Assert.Equal((CaseAction.Retest, t0 + 44 * Day), (day14.Case.NextAction, day14.Case.NextActionAt));
            await AssertOutboxAsync(life, day14, First, StillOpen, StillOpen, Resolved);

            // Recidivism: open again, and the +44 d recheck finds it so: Reopened, the owner told again, monitored anew.
            lab.SwitchRelay(Notifier.Tests.Lab.Lab.Open);
            life.AdvanceTo(t0 + 44 * Day);
            var day44 = await life.SettledAsync(caseId, 5, l => l.Notices.Count == 5 && l.Case.State == CaseState.Monitoring);
            Assert.Equal([InitialConfirmed, RetestOpen, RetestOpen, RetestClosed, RetestOpen], day44.Probes);
            Assert.Equal([new(First, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent),
                new(Resolved, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent)], day44.Notices);
            Assert.Equal([.. monitored, CaseState.Resolved, CaseState.Reopened, CaseState.Notifying, CaseState.Monitoring], day44.States);
            Assert.Equal(1, day44.Case.ReopenCount);
            Assert.Equal(t0, day44.Case.FirstNoticeAt);
            Assert.Equal((CaseAction.Retest, t0 + 46 * Day), (day44.Case.NextAction, day44.Case.NextActionAt));
            await AssertOutboxAsync(life, day44, First, StillOpen, StillOpen, Resolved, StillOpen);
        }
        finally
        {
            lab.SwitchRelay(Notifier.Tests.Lab.Lab.Open);
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task NewReport_ReopensTheResolvedCase_WhenTheRetestItAsksForFindsTheRelayOpenAgain(string provider)
    {
        await using var life = await LifeLab.StartAsync(lab, provider, new Dictionary<string, string?>());
        try
        {
            var client = await life.ClientAsync();
            var (caseId, notified) = await NotifiedAsync(life, client, "SWITCH");
            var t0 = notified.Case.FirstNoticeAt!.Value;
            string[] monitored = [CaseState.Probing, CaseState.Suspected, CaseState.Confirmed, CaseState.Notifying, CaseState.Monitoring];

            lab.SwitchRelay(Notifier.Tests.Lab.Lab.Closed);
            life.AdvanceTo(t0 + 2 * Day);
            var resolved = await life.SettledAsync(caseId, 2, l => l.Notices.Count == 2);
            Assert.Equal([InitialConfirmed, RetestClosed], resolved.Probes);
            Assert.Equal([new(First, Owner, NoticeState.Sent), new(Resolved, Owner, NoticeState.Sent)], resolved.Notices);
            Assert.Equal([.. monitored, CaseState.Resolved], resolved.States);

            // A day later someone reports the relay again, and it is open again: the report asks for a retest, which
            // reopens the case (not a new one) and tells the owner it is open again.
            lab.SwitchRelay(Notifier.Tests.Lab.Lab.Open);
            life.AdvanceTo(t0 + 3 * Day);
            Assert.Equal(caseId, await life.ReportAsync(client, "SWITCH"));
            var reopened = await life.SettledAsync(caseId, 3, l => l.Notices.Count == 3 && l.Case.State == CaseState.Monitoring);
            Assert.Equal([InitialConfirmed, RetestClosed, RetestOpen], reopened.Probes);
            Assert.StartsWith("api:", reopened.ProbeRows[2].RequestedBy, StringComparison.Ordinal);
            Assert.Equal([new(First, Owner, NoticeState.Sent), new(Resolved, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent)], reopened.Notices);
            Assert.Equal([.. monitored, CaseState.Resolved, CaseState.Reopened, CaseState.Notifying, CaseState.Monitoring], reopened.States);
            Assert.Equal(1, reopened.Case.ReopenCount);
            // The schedule starts again from the reopening.
            Assert.Equal((CaseAction.Retest, t0 + 5 * Day), (reopened.Case.NextAction, reopened.Case.NextActionAt));
            Assert.Single(await life.DbAsync(db => db.Cases.ToListAsync()));
            await AssertOutboxAsync(life, reopened, First, Resolved, StillOpen);
        }
        finally
        {
            lab.SwitchRelay(Notifier.Tests.Lab.Lab.Open);
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CaseLife_IsEscalatedUpstreamThenUnresponsive_WhenTheNoticesAreIgnoredAndTheRelayStaysOpen(string provider)
    {
        const string upstream = "noc@upstream.test";
        await using var life = await LifeLab.StartAsync(lab, provider, new Dictionary<string, string?>
        {
            ["Notices:RenotifyAfter"] = "1",
            ["Retests:EscalateAfterIgnoredNotices"] = "2",
            ["Retests:UnresponsiveAfterEscalatedRetests"] = "1",
        });
        var client = await life.ClientAsync();
        var (caseId, notified) = await NotifiedAsync(life, client, "OPEN");
        var t0 = notified.Case.FirstNoticeAt!.Value;
        // The RDAP parent network's abuse contact, as the lookup records it (a manual rule is never upstream): a less
        // specific network (/8) than the one the direct contact runs.
        await life.DbAsync(async db =>
        {
            db.CaseContacts.Add(new CaseContact
            {
                CaseId = caseId,
                Address = upstream,
                Source = "rdap",
                Sources = "rdap",
                Tier = "rdap-abuse",
                Confidence = "high",
                NetworkPrefixLength = 8,
                EvidenceJson = JsonSerializer.Serialize(new[] { new { query = "RDAP ip network 127.0.0.0/8", answer = "abuse entity " + upstream } }),
                FirstSeenAt = t0,
                LastSeenAt = t0,
                RankedAt = t0,
            });
            return await db.SaveChangesAsync();
        });
        string[] monitored = [CaseState.Probing, CaseState.Suspected, CaseState.Confirmed, CaseState.Notifying, CaseState.Monitoring];

        // +2 d open: one notice ignored so far, so the direct contact is told again.
        life.AdvanceTo(t0 + 2 * Day);
        var day2 = await life.SettledAsync(caseId, 2, l => l.Notices.Count == 2);
        Assert.Equal([InitialConfirmed, RetestOpen], day2.Probes);
        Assert.Equal([new(First, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent)], day2.Notices);

        // +7 d open: two ignored notices (Retests:EscalateAfterIgnoredNotices): the upstream network is told.
        life.AdvanceTo(t0 + 7 * Day);
        var day7 = await life.SettledAsync(caseId, 3, l => l.Notices.Count == 3);
        Assert.Equal([InitialConfirmed, RetestOpen, RetestOpen], day7.Probes);
        Assert.Equal([new(First, Owner, NoticeState.Sent), new(StillOpen, Owner, NoticeState.Sent), new(Escalation, upstream, NoticeState.Sent)], day7.Notices);
        Assert.Equal([.. monitored, CaseState.Escalated], day7.States);
        Assert.Equal(t0 + 7 * Day, day7.Case.EscalatedAt);
        await AssertOutboxAsync(life, day7, First, StillOpen, Escalation);

        // +14 d still open after the escalation (Retests:UnresponsiveAfterEscalatedRetests = 1): unresponsive, no notice.
        life.AdvanceTo(t0 + 14 * Day);
        var day14 = await life.SettledAsync(caseId, 4);
        Assert.Equal([InitialConfirmed, RetestOpen, RetestOpen, RetestOpen], day14.Probes);
        Assert.Equal(day7.Notices, day14.Notices);
        Assert.Equal([.. monitored, CaseState.Escalated, CaseState.Unresponsive], day14.States);
        Assert.Equal((CaseAction.Retest, t0 + 44 * Day), (day14.Case.NextAction, day14.Case.NextActionAt));

        // +44 d: still retested monthly, still nobody written to.
        life.AdvanceTo(t0 + 44 * Day);
        var day44 = await life.SettledAsync(caseId, 5);
        Assert.Equal([InitialConfirmed, RetestOpen, RetestOpen, RetestOpen, RetestOpen], day44.Probes);
        Assert.Equal(day7.Notices, day44.Notices);
        Assert.Equal(CaseState.Unresponsive, day44.Case.State);
        Assert.Equal((CaseAction.Retest, t0 + 74 * Day), (day44.Case.NextAction, day44.Case.NextActionAt));
        await AssertOutboxAsync(life, day44, First, StillOpen, Escalation);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Retest_GetsThroughGreylisting_WhenItRetriesTheSameEnvelopeAfterTheDelay(string provider)
    {
        var greylistDelay = TimeSpan.FromSeconds(int.Parse(lab["NOTIFIER_LAB_GREYLIST_DELAY"], CultureInfo.InvariantCulture));
        await using var life = await LifeLab.StartAsync(lab, provider, new Dictionary<string, string?>());
        var client = await life.ClientAsync();
        await LifeLab.AddContactAsync(client, Owner);
        var caseId = await life.ReportAsync(client, "GREYLIST");

        // The initial probe is greylisted too, and its same-envelope retry proves the relay.
        var deferred = await life.SettledAsync(caseId, 1);
        Assert.Equal([new ProbeSeen(ProbeKind.Initial, "quick", "temp-refused", null)], deferred.Probes);
        await Task.Delay(greylistDelay + TimeSpan.FromSeconds(1));
        life.AdvanceTo(deferred.Case.NextActionAt!.Value);
        var pending = await NoticeLab.AwaitingApprovalAsync(client, caseId);
        await NoticeLab.ApproveAsync(client, pending.GetProperty("id").GetInt64());
        var notified = await life.SettledAsync(caseId, 2, l => l.Case.State == CaseState.Monitoring);
        var t0 = notified.Case.FirstNoticeAt!.Value;
        ProbeSeen[] proven = [new(ProbeKind.Initial, "quick", "temp-refused", null), InitialConfirmed];
        Assert.Equal(proven, notified.Probes);

        // +2 d: the retest's recipient is new to the greylister (450), so it is retried with the same envelope after
        // the server's delay; only that retry tells, and it finds the relay open. A 4xx alone never resolves.
        life.AdvanceTo(t0 + 2 * Day);
        var greylisted = await life.SettledAsync(caseId, 3);
        Assert.Equal([.. proven, new(ProbeKind.Retest, "rcpt-only", "temp-refused", null)], greylisted.Probes);
        Assert.Equal((CaseState.Monitoring, CaseAction.RetryProbe), (greylisted.Case.State, greylisted.Case.NextAction));
        await Task.Delay(greylistDelay + TimeSpan.FromSeconds(1));
        life.AdvanceTo(greylisted.Case.NextActionAt!.Value);
        var open = await life.SettledAsync(caseId, 4);
        Assert.Equal([.. proven, new(ProbeKind.Retest, "rcpt-only", "temp-refused", null), RetestOpen], open.Probes);
        var (first, retry) = (open.ProbeRows[2], open.ProbeRows[3]);
        Assert.Equal((first.Id, first.Key, first.Variants), (retry.RetryOfProbeId, retry.Key, retry.Variants));
        var triedFirst = ProbeResultJson.Deserialize(first.ResultJson!)!.Variants.Single();
        var triedAgain = ProbeResultJson.Deserialize(retry.ResultJson!)!.Variants.Single();
        Assert.Equal((triedFirst.MailFrom, triedFirst.RcptTo), (triedAgain.MailFrom, triedAgain.RcptTo));
        Assert.Equal(CaseState.Monitoring, open.Case.State);
        Assert.Equal((CaseAction.Retest, t0 + 7 * Day), (open.Case.NextAction, open.Case.NextActionAt));
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task RetestRequests_RunOneRetestPerMinInterval_WhenTwentyArriveAtOnce(string provider)
    {
        await using var life = await LifeLab.StartAsync(lab, provider, new Dictionary<string, string?>());
        var client = await life.ClientAsync();
        var (caseId, notified) = await NotifiedAsync(life, client, "OPEN");
        var minInterval = new RetestOptions().MinInterval;

        // An operator asks once, an hour after the notice: a retest runs now (and the schedule stays as it was).
        life.AdvanceTo(notified.Case.FirstNoticeAt!.Value + TimeSpan.FromHours(1));
        var asked = await client.PostAsync($"/api/cases/{caseId}/probe", null);
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);
        var once = await life.SettledAsync(caseId, 2);
        Assert.Equal([InitialConfirmed, RetestOpen], once.Probes);
        var last = once.Case.LastRetestAt!.Value;

        // Twenty more at once, inside Retests:MinInterval: none runs now; they all wait for the one allowed moment.
        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.PostAsync($"/api/cases/{caseId}/probe", null)));
        Assert.All(burst, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        foreach (var r in burst)
        {
            var answer = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal((ProbeRequestedDto.Retest, last + minInterval), (answer.GetProperty("kind").GetString(), answer.GetProperty("runsAt").GetDateTimeOffset()));
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var waiting = await life.SettledAsync(caseId, 2);
        Assert.Equal([InitialConfirmed, RetestOpen], waiting.Probes);
        Assert.Equal((CaseAction.Retest, last + minInterval), (waiting.Case.NextAction, waiting.Case.NextActionAt));

        life.AdvanceTo(last + minInterval);
        var twice = await life.SettledAsync(caseId, 3);
        Assert.Equal([InitialConfirmed, RetestOpen, RetestOpen], twice.Probes);
        Assert.Equal(last + minInterval, twice.Case.LastRetestAt);
        Assert.All(twice.ProbeRows.Skip(1), p => Assert.StartsWith("api:", p.RequestedBy, StringComparison.Ordinal));
        Assert.Equal([new NoticeSeen(First, Owner, NoticeState.Sent)], twice.Notices);
    }
}
