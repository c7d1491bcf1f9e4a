using Notifier.Cases;
using Notifier.Notices;
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

    [Fact]
    public async Task CaseLife_IsNotifiedThenMonitored_WhenTheSwitchRelayIsReportedOpen()
    {
        await using var life = new LifeLab(lab, new Dictionary<string, string?>());
        var client = await life.ClientAsync();

        var (_, notified) = await NotifiedAsync(life, client, "SWITCH");

        Assert.Equal(life.Time.GetUtcNow(), notified.NoticeRows.Single().SentAt);
    }
}
