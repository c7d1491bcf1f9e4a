using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;
using Notifier.Jobs;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// Runs one queued probe. Hangfire is at-least-once, so the job first claims the probe row (queued, or running
/// under an expired lease) with one conditional UPDATE: a second copy of the job finds nothing to claim and
/// returns, and a copy re-run after its process was killed claims it again once the lease has run out.
/// </summary>
public sealed class ProbeJob(
    NotifierDb db,
    IRelayProbe relayProbe,
    TimeProvider time,
    IOptions<CasesOptions> cases,
    IOptions<ProbingOptions> probing,
    IOptions<JobsOptions> jobs,
    ILogger<ProbeJob> log)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(int probeId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaseUntil = now + probing.Value.TotalTimeout + jobs.Value.LeaseMargin;
        var node = jobs.Value.NodeName;
        var claimed = await db.Probes
            .Where(p => p.Id == probeId && (p.Status == ProbeStatus.Queued || (p.Status == ProbeStatus.Running && p.LeaseUntil < now)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, ProbeStatus.Running)
                .SetProperty(p => p.LeaseOwner, node)
                .SetProperty(p => p.LeaseUntil, leaseUntil)
                .SetProperty(p => p.StartedAt, now), cancellationToken);
        if (claimed == 0)
        {
            log.LogInformation("Probe {ProbeId} is not queued (done, or held by another worker): nothing to do", probeId);
            return;
        }

        var probe = await db.Probes.Include(p => p.Case).SingleAsync(p => p.Id == probeId, cancellationToken);
        var c = probe.Case!;
        var request = new ProbeRequest
        {
            Host = c.Address,
            Port = c.Port,
            ProbeKey = probe.Key,
            Mode = probe.Mode == "full" ? ProbeMode.Full : ProbeMode.Quick,
        };
        try
        {
            var result = await relayProbe.ProbeAsync(request, cancellationToken);
            CaseWorkflow.ProbeFinished(c, probe, result, cases.Value, time.GetUtcNow());
            CaseWorkflow.TestMessageSent(c, probe, result, probing.Value.ConfirmationWindow, time.GetUtcNow());
            log.LogInformation("Probe {ProbeKey} of case {CaseId} ({Target}): {Verdict}", probe.Key, c.Id, c.RelayKey, result.Verdict);
        }
        catch (ProbeThrottledException e)
        {
            CaseWorkflow.ProbeThrottled(c, probe, e.Message, e.RetryAt, time.GetUtcNow());
        }
        catch (ProbeRequestException e)
        {
            CaseWorkflow.ProbeRefused(c, probe, e.Message, time.GetUtcNow());
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect must not turn into a probe re-run every lease period forever: record it and let the
            // case's bounded retries decide. The stack trace goes to the log, the case keeps one line.
            log.LogError(e, "Probe {ProbeKey} of case {CaseId} failed", probe.Key, c.Id);
            CaseWorkflow.ProbeCrashed(c, probe, $"{e.GetType().Name}: {e.Message}", cases.Value, time.GetUtcNow());
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}
