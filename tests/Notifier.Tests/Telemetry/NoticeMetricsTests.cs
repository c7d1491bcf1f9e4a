using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notifier.Cases;
using Notifier.Notices;
using Notifier.Telemetry;
using Notifier.Tests.Cases;

namespace Notifier.Tests.Telemetry;

/// <summary>
/// The notice counters of the <c>Notifier</c> meter (exported as notifier_notices_sent_total, …_bounced_total,
/// …_failovers_total) count what the case timeline shows: a notice handed over, a contact refusing it at hand-over, a
/// DSN for it arriving later. Driven through the notice job and the bounce handling in process (NoticeRig).
/// </summary>
public sealed class NoticeMetricsTests
{
    private const string First = "abuse@isp.example";
    private const string Second = "noc@isp.example";

    private static MetricCollector<long> Collect(NoticeRig rig, string instrument) =>
        new(rig.Services.GetRequiredService<NotifierMetrics>().Meter, instrument);

    private static long Sum(MetricCollector<long> collector, string tag, string value) =>
        collector.GetMeasurementSnapshot().Where(m => (string?)m.Tags[tag] == value).Sum(m => m.Value);

    [Fact]
    public async Task NoticesSent_CountsTheFirstNoticeByKindAndTransport_WhenTheSmarthostAcceptsIt()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        using var sent = Collect(rig, "notifier.notices.sent");
        using var failovers = Collect(rig, "notifier.notices.failovers");
        var caseId = await rig.CaseWithContactsAsync("192.0.2.40", CaseState.Confirmed, First);

        await rig.PlanAsync(caseId);
        await rig.DispatchAndRunAsync();

        var m = Assert.Single(sent.GetMeasurementSnapshot());
        Assert.Equal((1L, nameof(NoticeKind.FirstNotice), "test"), (m.Value, (string?)m.Tags["kind"], (string?)m.Tags["transport"]));
        Assert.Empty(failovers.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task Failovers_CountTheRefusedContact_AndSentCountsOnlyTheNextOne_WhenTheFirstIsRefusedAtHandOver()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        using var sent = Collect(rig, "notifier.notices.sent");
        using var failovers = Collect(rig, "notifier.notices.failovers");
        var caseId = await rig.CaseWithContactsAsync("192.0.2.41", CaseState.Confirmed, First, Second);
        rig.Sender.Answer = r => r == First
            ? new NoticeDelivery(NoticeDeliveryOutcome.Rejected, "550 5.1.1 User unknown")
            : new NoticeDelivery(NoticeDeliveryOutcome.Accepted, "250 2.0.0 Ok");

        await rig.PlanAsync(caseId);
        await rig.DispatchAndRunAsync();
        await rig.DispatchAndRunAsync();

        Assert.Equal([First, Second], rig.Sender.Sent.Select(s => s.Recipient));
        Assert.Equal(1, Sum(failovers, "reason", "refused"));
        Assert.Equal(1, sent.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task Bounced_CountsAPermanentDsnByReason_ButNotADelayReport()
    {
        await using var rig = await NoticeRig.CreateAsync(("Notices:RequireApproval", "false"));
        using var bounced = Collect(rig, "notifier.notices.bounced");
        using var failovers = Collect(rig, "notifier.notices.failovers");
        var caseId = await rig.CaseWithContactsAsync("192.0.2.42", CaseState.Confirmed, First, Second);
        await rig.PlanAsync(caseId);
        await rig.DispatchAndRunAsync();
        var notice = Assert.Single(await rig.NoticesAsync(caseId));
        Assert.Equal(NoticeState.Sent, notice.State);

        await BounceAsync(rig, notice.Id, permanent: false, "4.2.2 mailbox full, still trying", "mailbox-full");
        Assert.Empty(bounced.GetMeasurementSnapshot());
        await BounceAsync(rig, notice.Id, permanent: true, "5.1.1 user unknown", "unknown-user");

        Assert.Equal(1, Sum(bounced, "reason", "unknown-user"));
        Assert.Equal(1, bounced.GetMeasurementSnapshot().Sum(m => m.Value));
        // The bounce moved the case on to the next contact: one failover, under the bounce's reason.
        Assert.Equal(1, Sum(failovers, "reason", "unknown-user"));
        Assert.Contains(await rig.NoticesAsync(caseId), n => n.Recipient == Second);
    }

    /// <summary>As the inbox does with a DSN whose VERP return path names the notice: the bounce and its save in one unit.</summary>
    private static async Task BounceAsync(NoticeRig rig, long noticeId, bool permanent, string diagnostic, string reason)
    {
        await using var scope = rig.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<NoticeBounces>().BouncedAsync(noticeId, permanent, diagnostic, reason, rig.Time.GetUtcNow(), CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<Notifier.Data.NotifierDb>().SaveChangesAsync();
    }
}
