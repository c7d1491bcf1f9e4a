using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>
/// The real service finds test-message rows whose job never existed in its job storage (as after a restart with
/// in-memory storage) and finishes them: a queued one is sent (here refused: a documentation address), a sending
/// one whose lease ran out becomes interrupted without a send.
/// </summary>
public sealed class TestMessageRecoveryServiceTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private async Task<int> RowAsync(string address, string status, DateTimeOffset queuedAt, DateTimeOffset? leaseUntil)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var c = CaseWorkflow.Open(address, 25, $"{address}:25", "test", null, "test", queuedAt);
        var p = CaseWorkflow.QueueProbe(c, ProbeMode.Full, queuedAt);
        p.Status = ProbeStatus.Done;
        p.Verdict = "data-accepted";
        c.State = CaseState.Suspected;
        c.NextAction = null;
        c.NextActionAt = null;
        var m = new ProbeTestMessage
        {
            Sequence = 2,
            Variant = "source-route",
            VariantClass = "source-route",
            Status = status,
            Target = $"{address}:25",
            QueuedAt = queuedAt,
            LeaseOwner = leaseUntil is null ? null : "a-dead-node",
            LeaseUntil = leaseUntil,
        };
        p.TestMessages.Add(m);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        return m.Id;
    }

    private async Task<ProbeTestMessage> WaitAsync(int id, string status)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var m = await scope.ServiceProvider.GetRequiredService<NotifierDb>().ProbeTestMessages.AsNoTracking().SingleAsync(x => x.Id == id);
            if (m.Status == status || DateTime.UtcNow > deadline) return m;
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Service_FinishesLostTestMessages_WithoutEverResendingAnInterruptedOne()
    {
        var now = DateTimeOffset.UtcNow;
        var queued = await RowAsync("192.0.2.201", TestMessageStatus.Queued, now - TimeSpan.FromMinutes(5), null);
        var sending = await RowAsync("192.0.2.202", TestMessageStatus.Sending, now - TimeSpan.FromMinutes(5), now - TimeSpan.FromMinutes(1));

        var sent = await WaitAsync(queued, TestMessageStatus.NotSent);
        var interrupted = await WaitAsync(sending, TestMessageStatus.Interrupted);

        Assert.Equal(TestMessageStatus.NotSent, sent.Status);
        Assert.Contains("documentation", sent.DataReply, StringComparison.Ordinal);
        Assert.Equal(TestMessageStatus.Interrupted, interrupted.Status);
        Assert.Null(interrupted.SentAt);
        Assert.Null(interrupted.LeaseOwner);
    }
}
