using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;

namespace Notifier.Inbox;

/// <summary>
/// Sends one further test message (queued by <see cref="CanaryWindow"/>). Claims the row queued → sending with one
/// conditional UPDATE, so a second copy of the job does nothing; a job lost after the claim leaves the row in
/// <c>sending</c>, and the next window end counts it as used.
/// </summary>
public sealed class TestMessageJob(
    NotifierDb db,
    IRelayProbe relayProbe,
    TimeProvider time,
    IOptions<ProbingOptions> probing,
    ILogger<TestMessageJob> log)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int testMessageId, CancellationToken cancellationToken)
    {
        var claimed = await db.ProbeTestMessages
            .Where(m => m.Id == testMessageId && m.Status == TestMessageStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, TestMessageStatus.Sending), cancellationToken);
        if (claimed == 0)
        {
            log.LogInformation("Test message {TestMessageId} is not queued: nothing to do", testMessageId);
            return;
        }
        var m = await db.ProbeTestMessages.Include(x => x.Probe).ThenInclude(p => p!.Case).SingleAsync(x => x.Id == testMessageId, cancellationToken);
        var probe = m.Probe!;
        var c = probe.Case!;
        ProbeResult result;
        try
        {
            result = await relayProbe.SendTestMessageAsync(new TestMessageRequest
            {
                Address = c.Address,
                Port = c.Port,
                ProbeKey = probe.Key,
                Variant = m.Variant,
                HostName = m.TargetHostName,
            }, cancellationToken);
        }
        catch (Exception e) when (e is ProbeRequestException or ProbeThrottledException)
        {
            result = new ProbeResult
            {
                Target = m.Target, Host = c.Address, Address = c.Address, Port = c.Port, ProbeKey = probe.Key,
                Verdict = ProbeVerdict.ProtocolError, Reason = e.Message, Mode = "quick", Token = "", CanaryAddress = "",
                StartedAt = time.GetUtcNow(), FinishedAt = time.GetUtcNow(),
            };
        }
        CaseWorkflow.FurtherTestMessageFinished(c, m, result, probing.Value.ConfirmationWindow, time.GetUtcNow());
        if (result.Token.Length == 0) m.Token = null;
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Test message {Sequence} of probe {ProbeKey} through {Variant}: {Verdict}", m.Sequence, probe.Key, m.Variant, result.Verdict);
    }
}
