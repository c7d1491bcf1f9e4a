using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;
using Notifier.Jobs;
using Notifier.Probing;
using Notifier.Telemetry;

namespace Notifier.Cases;

/// <summary>
/// Runs one queued probe to its end: claim, dialogue, record. Hangfire is at-least-once, so the run first claims the
/// probe row (queued, or running under an expired lease) with one conditional UPDATE: a second copy finds nothing to
/// claim and returns, and a copy re-run after its process was killed claims it again once the lease has run out. The
/// lease is kept alive while the probe waits for its turn (<see cref="ProbeLease"/>), so a dialogue runs once per
/// queued probe. A probe of a closed case is not run; one that finishes after its case was closed is recorded as
/// evidence only. The Hangfire job (<see cref="ProbeJob"/>) does not run this itself: it hands the probe to the
/// <see cref="ProbeRunner"/>, so a dialogue waiting on the network holds no worker thread.
/// </summary>
public sealed class ProbeRun(
    NotifierDb db,
    IServiceScopeFactory scopes,
    IRelayProbe relayProbe,
    ProbeTokenKey tokenKey,
    TimeProvider time,
    IOptions<CasesOptions> cases,
    IOptions<RetestOptions> retests,
    IgnoredNotices ignoredNotices,
    FollowUpNotices followUps,
    IOptions<ProbingOptions> probing,
    IOptions<JobsOptions> jobs,
    NotifierMetrics metrics,
    ILogger<ProbeRun> log)
{
    /// <summary>Saves of the outcome tried before giving up on a case that keeps changing under the job.</summary>
    private const int MaxRecordAttempts = 10;

    public async Task RunAsync(int probeId, CancellationToken cancellationToken)
    {
        var leaseLength = LeaseClaim.Length(probing.Value, jobs.Value);
        await using var lease = await ProbeLease.ClaimAsync(scopes, probeId, jobs.Value.NodeName, leaseLength, jobs.Value.LeaseMargin / 2, time, log, cancellationToken);
        if (lease is null)
        {
            log.LogInformation("Probe {ProbeId} is not queued (done, or held by another worker): nothing to do", probeId);
            return;
        }

        var probe = await db.Probes.AsNoTracking().Include(p => p.Case).SingleAsync(p => p.Id == probeId, cancellationToken);
        var c = probe.Case!;
        if (c.State == CaseState.Closed)
        {
            await RecordAsync(probeId, lease, Sync((c, p) => CaseWorkflow.ProbeNotNeeded(c, p, time.GetUtcNow())), cancellationToken);
            log.LogInformation("Probe {ProbeKey} of case {CaseId} not run: the case is closed", probe.Key, c.Id);
            return;
        }
        // A retest its owner asked for on the owner page is watched there: its lines go to the database as they come.
        await using var live = probe.Kind == ProbeKind.Retest && CaseWorkflow.IsOwnerRequest(probe.RequestedBy)
            ? ProbeLiveTranscript.Start(scopes, probeId, time, log)
            : null;
        // The probe's own test message is sent inside the dialogue, before its ProbeTestMessage row exists: the return
        // path names the probe instead. A greylisting retry shares its key with every attempt of its envelope and
        // names the first of them, so it presents the same sender (and with the token the same recipient) again.
        var envelopeProbeId = await db.Probes.Where(p => p.CaseId == probe.CaseId && p.Key == probe.Key).MinAsync(p => p.Id, cancellationToken);
        var request = new ProbeRequest
        {
            Host = c.Address,
            Port = c.Port,
            ProbeKey = probe.Key,
            ReturnPath = new VerpAddress(VerpAddress.Probe, envelopeProbeId, probing.Value.SenderDomainOrCanary()).Format(VerpAddress.KeyFrom(tokenKey)),
            // A greylisting retry presents the token, and so the sender and recipient, of the attempt it retries.
            Token = probe.RetryOfProbeId is not null && probe.Token is { } token && ProbeToken.TryParse(token, out _, out _) ? token : null,
            // A retest is RCPT only (no test message) through the variants that relayed (Probe.Variants).
            Mode = probe.Mode,
            Variants = probe.Variants?.Split(',', StringSplitOptions.RemoveEmptyEntries),
            LineWritten = live is null ? null : live.Add,
            TurnTaken = async ct =>
            {
                await lease.HoldForDialogueAsync(ct);
                // The wait for a turn can be long: a case closed meanwhile gets no dialogue.
                if (await lease.CaseClosedAsync(ct)) throw new CaseClosedMeanwhileException();
            },
        };
        var retest = probe.Kind == ProbeKind.Retest;
        Func<Case, Probe, Task> outcome;
        try
        {
            var result = await relayProbe.ProbeAsync(request, cancellationToken);
            outcome = retest
                ? async (c, p) =>
                {
                    var history = await ignoredNotices.HistoryAsync(c, p.Id, cancellationToken);
                    var followUp = CaseWorkflow.RetestFinished(c, p, result, retests.Value, cases.Value, history, time.GetUtcNow());
                    await followUps.PlanAsync(c, followUp, history, time.GetUtcNow(), cancellationToken);
                }
            : Sync((c, p) =>
            {
                CaseWorkflow.ProbeFinished(c, p, result, cases.Value, time.GetUtcNow());
                CaseWorkflow.TestMessageSent(c, p, result, probing.Value.ConfirmationWindow, time.GetUtcNow());
                CaseWorkflow.PlanUnreachableReprobe(c, retests.Value, time.GetUtcNow());
            });
            log.LogInformation("Probe {ProbeKey} of case {CaseId} ({Target}): {Verdict}", probe.Key, c.Id, c.RelayKey, result.Verdict);
            metrics.ProbeFinished(result.Verdict, result.Mta, retest, result.FinishedAt - result.StartedAt);
        }
        catch (ProbeLeaseLostException e)
        {
            log.LogWarning("Probe {ProbeKey} of case {CaseId}: {Why}; this copy stops", probe.Key, c.Id, e.Message);
            return;
        }
        catch (CaseClosedMeanwhileException)
        {
            outcome = Sync((c, p) => CaseWorkflow.ProbeNotNeeded(c, p, time.GetUtcNow()));
        }
        catch (ProbeThrottledException e)
        {
            outcome = Sync((c, p) => CaseWorkflow.ProbeThrottled(c, p, e.Message, e.RetryAt, time.GetUtcNow()));
        }
        catch (ProbeRequestException e)
        {
            // A proven, notified relay is not closed because a retest could not be run as asked (the variant that
            // relayed no longer exists for it, the configuration refuses the target now): a person looks at it.
            outcome = Sync(retest
                ? (c, p) => CaseWorkflow.RetestNotRun(c, p, e.Message, retests.Value, time.GetUtcNow())
                : (c, p) => CaseWorkflow.ProbeRefused(c, p, e.Message, time.GetUtcNow()));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A defect must not turn into a probe re-run every lease period forever: record it and let the
            // case's bounded retries decide. The stack trace goes to the log, the case keeps one line.
            log.LogError(e, "Probe {ProbeKey} of case {CaseId} failed", probe.Key, c.Id);
            var error = $"{e.GetType().Name}: {e.Message}";
            outcome = Sync(retest
                ? (c, p) => CaseWorkflow.RetestCrashed(c, p, error, retests.Value, time.GetUtcNow())
                : (c, p) =>
                {
                    CaseWorkflow.ProbeCrashed(c, p, error, cases.Value, time.GetUtcNow());
                    CaseWorkflow.PlanUnreachableReprobe(c, retests.Value, time.GetUtcNow());
                });
        }
        if (live is not null) await live.StopAsync();
        await RecordAsync(probeId, lease, outcome, cancellationToken);
    }

    /// <summary>
    /// Applies the outcome to a fresh copy of the probe and its case and saves both. Anything may have written the
    /// case meanwhile (a repeated report, "probe now", a close): its version check then fails the save, and the
    /// outcome is applied again to the case as it is now, so the verdict is never lost to a concurrent write and
    /// the transitions see the case's current state (a closed case stays closed).
    /// </summary>
    private async Task RecordAsync(int probeId, ProbeLease lease, Func<Case, Probe, Task> outcome, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var p = await db.Probes.Include(x => x.Case).Include(x => x.TestMessages).SingleAsync(x => x.Id == probeId, ct);
            if (!lease.Holds(p))
            {
                log.LogWarning("Probe {ProbeKey} was taken over by another job; this copy's outcome is not recorded", p.Key);
                return;
            }
            await outcome(p.Case!, p);
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxRecordAttempts)
            {
                log.LogInformation("Case {CaseId} changed while probe {ProbeKey} ran; recording its outcome on the case as it is now", p.CaseId, p.Key);
            }
        }
    }

    private static Func<Case, Probe, Task> Sync(Action<Case, Probe> outcome) => (c, p) =>
    {
        outcome(c, p);
        return Task.CompletedTask;
    };

    /// <summary>The case was closed while the probe waited for its turn.</summary>
    private sealed class CaseClosedMeanwhileException : Exception;
}
