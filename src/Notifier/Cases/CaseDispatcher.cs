using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Jobs;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// The recurring job that turns the database's schedule into work: cases whose NextActionAt is due get a
/// queued probe, and probes whose job was lost (a restart with in-memory job storage, a killed worker) are
/// enqueued again. Nothing scheduled lives only in Hangfire, so losing its storage loses nothing.
/// </summary>
public sealed class CaseDispatcher(
    NotifierDb db,
    IBackgroundJobClient jobsClient,
    TimeProvider time,
    IOptions<CasesOptions> cases,
    IOptions<JobsOptions> jobs,
    IOptions<ProbingOptions> probing,
    ILogger<CaseDispatcher> log)
{
    public const string RecurringId = "dispatch-due-cases";

    [DisableConcurrentExecution(60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await db.Cases
            .Where(c => c.NextAction != null && c.NextActionAt <= now)
            .OrderBy(c => c.NextActionAt)
            .Take(200)
            .ToListAsync(cancellationToken);
        var queued = new List<Probe>();
        var lookups = new List<int>();
        var testMessages = new List<ProbeTestMessage>();
        foreach (var c in due)
        {
            Probe? probe = null;
            var lookup = false;
            ProbeTestMessage? testMessage = null;
            switch (c.NextAction)
            {
                case CaseAction.Probe:
                    probe = CaseWorkflow.QueueProbe(c, cases.Value.ProbeMode, now);
                    break;
                case CaseAction.LookupContacts:
                    // Stays due until the job records its result; the bump keeps this dispatcher from enqueuing a
                    // second copy meanwhile and re-enqueues it once the lease has passed if the job was lost.
                    ContactWorkflow.LookupDispatched(c, now, jobs.Value.RequeueAfter);
                    lookup = true;
                    break;
                case CaseAction.AwaitCanary:
                    testMessage = await CanaryWindow.ExpireAsync(db, c, probing.Value, now, cancellationToken);
                    break;
                default:
                    log.LogWarning("Case {CaseId} has an unknown due action {Action}; it is left as it is", c.Id, c.NextAction);
                    continue;
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (probe is not null) queued.Add(probe);
                if (lookup) lookups.Add(c.Id);
                if (testMessage is not null) testMessages.Add(testMessage);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another dispatcher or an operator changed the case first; it is looked at again next time.
                db.ChangeTracker.Clear();
            }
        }
        foreach (var p in queued) jobsClient.Enqueue<ProbeJob>(j => j.RunAsync(p.Id, CancellationToken.None));
        foreach (var id in lookups) jobsClient.Enqueue<ContactLookupJob>(j => j.RunAsync(id, CancellationToken.None));
        foreach (var m in testMessages) jobsClient.Enqueue<TestMessageJob>(j => j.RunAsync(m.Id, CancellationToken.None));

        var stale = now - jobs.Value.RequeueAfter;
        var lost = await db.Probes
            .Where(p => (p.Status == ProbeStatus.Queued && p.QueuedAt < stale) || (p.Status == ProbeStatus.Running && p.LeaseUntil < now))
            .OrderBy(p => p.Id)
            .Select(p => p.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        if (lost.Count > 0)
        {
            await db.Probes.Where(p => lost.Contains(p.Id) && p.Status == ProbeStatus.Queued)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.QueuedAt, now), cancellationToken);
            foreach (var id in lost) jobsClient.Enqueue<ProbeJob>(j => j.RunAsync(id, CancellationToken.None));
        }
        if (queued.Count + lost.Count + lookups.Count > 0)
            log.LogInformation("Dispatcher queued {Queued} probes and {Lookups} contact lookups and re-enqueued {Lost} lost probes", queued.Count, lookups.Count, lost.Count);
    }

    /// <summary>
    /// At start-up: probes this node was running when it stopped cannot be running now; queue them again, and
    /// enqueue every queued probe (the in-memory job storage starts empty).
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var node = jobs.Value.NodeName;
        var now = time.GetUtcNow();
        var reclaimed = await db.Probes
            .Where(p => p.Status == ProbeStatus.Running && p.LeaseOwner == node)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, ProbeStatus.Queued)
                .SetProperty(p => p.LeaseOwner, (string?)null)
                .SetProperty(p => p.LeaseUntil, (DateTimeOffset?)null)
                .SetProperty(p => p.QueuedAt, now), cancellationToken);
        var queued = await db.Probes.Where(p => p.Status == ProbeStatus.Queued).Select(p => p.Id).ToListAsync(cancellationToken);
        // Contact lookups handed to jobs before the restart are gone with the in-memory storage: due again now.
        await db.Cases.Where(c => c.NextAction == CaseAction.LookupContacts && c.NextActionAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextActionAt, now).SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        foreach (var id in queued) jobsClient.Enqueue<ProbeJob>(j => j.RunAsync(id, CancellationToken.None));
        if (reclaimed + queued.Count > 0)
            log.LogInformation("Recovered {Reclaimed} interrupted probes; {Queued} queued probes enqueued", reclaimed, queued.Count);
        jobsClient.Enqueue<CaseDispatcher>(d => d.RunAsync(CancellationToken.None));
    }
}
