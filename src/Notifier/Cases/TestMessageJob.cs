using System.Net;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;
using Notifier.Jobs;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// Sends one further test message (queued by <see cref="CanaryWindow"/>). Safe to run any number of times
/// (Hangfire is at-least-once, and <see cref="CaseDispatcher"/> re-enqueues rows whose job was lost):
/// <list type="bullet">
/// <item><c>queued</c>: claimed queued → sending with one conditional UPDATE that also stores the lease and the
/// token the message will carry (claim-before-send); a second copy finds nothing to claim. Then sent, and the
/// outcome recorded.</item>
/// <item><c>sending</c> under a lease that ran out (or released by <see cref="CaseDispatcher.RecoverAsync"/>
/// because its node restarted): the claimer died mid-send, so the relay may have taken the message. Never sent
/// again: it becomes <c>interrupted</c> and the case waits a full window for its canary (the token is already
/// stored, so an arrival still confirms). Why not re-send: the DATA may have been accepted, a second message with
/// the same token would be indistinguishable from the first (and a fresh token would orphan the first), and the
/// desk promises one message per claim. What is lost is at most one variant of the budget, which the next window
/// end replaces with another class when one is left.</item>
/// <item>anything else (sent, not-sent, arrived, held by a live claim): nothing to do.</item>
/// </list>
/// </summary>
public sealed class TestMessageJob(
    NotifierDb db,
    IRelayProbe relayProbe,
    ProbeTokenKey tokenKey,
    TimeProvider time,
    IOptions<ProbingOptions> probing,
    IOptions<JobsOptions> jobs,
    ILogger<TestMessageJob> log)
{
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(int testMessageId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await db.ProbeTestMessages.AsNoTracking()
            .Where(m => m.Id == testMessageId)
            .Select(m => new { m.Status, m.LeaseUntil, m.Probe!.Key, m.Probe.Case!.Address, m.Probe.Case.Port, m.Probe.Case.State, Arrived = m.Probe.TestMessages.Any(x => x.Status == TestMessageStatus.Arrived) })
            .SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            log.LogInformation("Test message {TestMessageId} does not exist: nothing to do", testMessageId);
            return;
        }
        if (row.Status == TestMessageStatus.Sending && (row.LeaseUntil is null || row.LeaseUntil < now))
        {
            await InterruptedAsync(testMessageId, now, cancellationToken);
            return;
        }
        if (row.Status != TestMessageStatus.Queued)
        {
            log.LogInformation("Test message {TestMessageId} is {Status}: nothing to do", testMessageId, row.Status);
            return;
        }
        if (row.State == CaseState.Closed || CaseState.IsProven(row.State) || row.Arrived)
        {
            await NotNeededAsync(testMessageId, row.Arrived ? "a canary of this probe already arrived" : $"the case is {row.State}", now, cancellationToken);
            return;
        }

        // Made once, here: stored by the claim below and handed to the send, so the message carries what was recorded.
        var token = ProbeToken.Create(tokenKey.Bytes, row.Key, RelayProbe.TokenTarget(IPAddress.Parse(row.Address), row.Port), now);
        var claimed = await LeaseClaim.TryClaimAsync(
            db.ProbeTestMessages.Where(m => m.Id == testMessageId && m.Status == TestMessageStatus.Queued),
            m => m.LeaseOwner, m => m.LeaseUntil, jobs.Value.NodeName, now + LeaseClaim.Length(probing.Value, jobs.Value),
            s => s.SetProperty(m => m.Status, TestMessageStatus.Sending).SetProperty(m => m.Token, token), cancellationToken);
        if (claimed is null)
        {
            log.LogInformation("Test message {TestMessageId} was claimed by another job: nothing to do", testMessageId);
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
                Token = token,
                // This message has its own row: a bounce of it is tied to it, not to the probe's first message.
                ReturnPath = new VerpAddress(VerpAddress.TestMessage, m.Id, probing.Value.SenderDomainOrCanary()).Format(VerpAddress.KeyFrom(tokenKey)),
            }, cancellationToken);
        }
        catch (Exception e) when (e is ProbeRequestException or ProbeThrottledException)
        {
            result = new ProbeResult
            {
                Target = m.Target,
                Host = c.Address,
                Address = c.Address,
                Port = c.Port,
                ProbeKey = probe.Key,
                Verdict = ProbeVerdict.ProtocolError,
                Reason = e.Message,
                Mode = ProbeMode.Quick,
                Token = "",
                CanaryAddress = "",
                StartedAt = time.GetUtcNow(),
                FinishedAt = time.GetUtcNow(),
            };
        }
        CaseWorkflow.FurtherTestMessageFinished(c, m, result, probing.Value.ConfirmationWindow, time.GetUtcNow());
        // No message went out without a token; one that did carries the token claimed above.
        if (result.Token.Length == 0) m.Token = null;
        m.LeaseOwner = null;
        m.LeaseUntil = null;
        await db.SaveChangesAsync(cancellationToken);
        log.LogInformation("Test message {Sequence} of probe {ProbeKey} through {Variant}: {Verdict}", m.Sequence, probe.Key, m.Variant, result.Verdict);
    }

    private async Task InterruptedAsync(int testMessageId, DateTimeOffset now, CancellationToken ct)
    {
        // Conditional, like the claim: of two copies of this job only one records the interruption.
        var taken = await db.ProbeTestMessages
            .Where(m => m.Id == testMessageId && m.Status == TestMessageStatus.Sending && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, TestMessageStatus.Interrupted)
                .SetProperty(m => m.LeaseOwner, (string?)null)
                .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), ct);
        if (taken == 0) return;
        var m = await db.ProbeTestMessages.Include(x => x.Probe).ThenInclude(p => p!.Case).SingleAsync(x => x.Id == testMessageId, ct);
        CaseWorkflow.FurtherTestMessageInterrupted(m.Probe!.Case!, m, probing.Value.ConfirmationWindow, now);
        await db.SaveChangesAsync(ct);
        log.LogWarning("Test message {Sequence} of probe {ProbeKey} was interrupted mid-send; not sent again", m.Sequence, m.Probe.Key);
    }

    private async Task NotNeededAsync(int testMessageId, string why, DateTimeOffset now, CancellationToken ct)
    {
        var taken = await db.ProbeTestMessages
            .Where(m => m.Id == testMessageId && m.Status == TestMessageStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, TestMessageStatus.NotSent)
                .SetProperty(m => m.DataReply, $"not sent: {why}"), ct);
        if (taken == 0) return;
        var m = await db.ProbeTestMessages.Include(x => x.Probe).ThenInclude(p => p!.Case).SingleAsync(x => x.Id == testMessageId, ct);
        CaseWorkflow.FurtherTestMessageNotNeeded(m.Probe!.Case!, m, why, now);
        await db.SaveChangesAsync(ct);
        log.LogInformation("Test message {TestMessageId} not sent: {Why}", testMessageId, why);
    }
}
