using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;
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
    IOptions<RetestOptions> retests,
    IOptions<JobsOptions> jobs,
    IOptions<ProbingOptions> probing,
    ILogger<CaseDispatcher> log)
{
    public const string RecurringId = "dispatch-due-cases";

    /// <summary>
    /// Runs the dispatcher now rather than at its next cron tick: after something made work due at once (a report,
    /// an approval, a retest asked for), so that it starts in seconds, not within the minute.
    /// </summary>
    public static void Nudge(IBackgroundJobClient jobs) => jobs.Enqueue<CaseDispatcher>(d => d.RunAsync(CancellationToken.None));

    /// <summary>A case whose next action is due at <paramref name="now"/>: what the dispatcher picks up (and the lag gauge watches).</summary>
    public static System.Linq.Expressions.Expression<Func<Case, bool>> Due(DateTimeOffset now) => c => c.NextAction != null && c.NextActionAt <= now;

    [DisableConcurrentExecution(60)]
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // Ids, not entities: a queued probe references its case, and the case its events, samples and probes, so a
        // list of entities kept every page's graph alive after the tracker was cleared, until the run ended: the
        // whole backlog (10,000 due cases: some 15 MB of heap) at once (issue 17).
        var queued = new List<int>();
        var lookups = new List<int>();
        var testMessages = new List<int>();
        var (queuedCount, lookupCount, testMessageCount) = (0, 0, 0);
        var pageSize = cases.Value.DispatchPageSize;
        // Keyset paging by (NextActionAt, Id), not Skip/Take: the cases a page moves drop out of what is due, so an
        // offset would skip cases; the cursor goes through everything due at the start of the run, in due order,
        // whatever the backlog.
        DateTimeOffset? afterAt = null;
        var afterId = 0;
        var seen = new HashSet<int>();
        while (true)
        {
            var page = db.Cases.Where(Due(now));
            if (afterAt is { } at) page = page.Where(c => c.NextActionAt > at || (c.NextActionAt == at && c.Id > afterId));
            // Read untracked and attached one at a time (DispatchAsync): a page tracked whole made every per-case save
            // scan all of its cases for changes, quadratic in the page (issue 17).
            var due = await page.OrderBy(c => c.NextActionAt).ThenBy(c => c.Id).Take(pageSize).AsNoTracking().ToListAsync(cancellationToken);
            if (due.Count == 0) break;
            afterAt = due[^1].NextActionAt;
            afterId = due[^1].Id;
            await DispatchAsync(due, now, seen, queued, lookups, testMessages, cancellationToken);
            // Each page's work is handed to the jobs as soon as its cases are saved, not after the last page: a backlog
            // of 10,000 due cases otherwise started no probe until all of them were dispatched (minutes under load).
            foreach (var id in queued) jobsClient.Enqueue<ProbeJob>(j => j.RunAsync(id, CancellationToken.None));
            foreach (var id in lookups) jobsClient.Enqueue<ContactLookupJob>(j => j.RunAsync(id, CancellationToken.None));
            foreach (var id in testMessages) jobsClient.Enqueue<TestMessageJob>(j => j.RunAsync(id, CancellationToken.None));
            (queuedCount, lookupCount, testMessageCount) = (queuedCount + queued.Count, lookupCount + lookups.Count, testMessageCount + testMessages.Count);
            queued.Clear();
            lookups.Clear();
            testMessages.Clear();
            if (due.Count < pageSize) break;
        }

        var stale = now - jobs.Value.RequeueAfter;
        // A lost probe of a closed case is not run again (nobody reopened it): it is put down as not run.
        await db.Probes
            .Where(p => ((p.Status == ProbeStatus.Queued && p.QueuedAt < stale) || (p.Status == ProbeStatus.Running && p.LeaseUntil < now))
                && p.Case!.State == CaseState.Closed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, ProbeStatus.Skipped)
                .SetProperty(p => p.Reason, "not run (again): the case was closed before the probe finished")
                .SetProperty(p => p.LeaseOwner, (string?)null)
                .SetProperty(p => p.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
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
        var lostMessages = await RequeueLostTestMessagesAsync(now, cancellationToken);
        var notices = await DispatchNoticesAsync(now, cancellationToken);
        if (queuedCount + lost.Count + lookupCount + testMessageCount + lostMessages + notices > 0)
            log.LogInformation("Dispatcher queued {Queued} probes, {Lookups} contact lookups and {TestMessages} test messages, re-enqueued {Lost} lost probes and {LostMessages} lost test messages, and handed {Notices} notices to jobs",
                queuedCount, lookupCount, testMessageCount, lost.Count, lostMessages, notices);
    }

    /// <summary>
    /// One page of due cases: each case's due action, saved case by case (a conflict on one leaves the others); what to
    /// enqueue is collected. Only the case at hand is tracked, from before its action to after its save, so each save
    /// looks at that case's rows alone.
    /// </summary>
    private async Task DispatchAsync(List<Case> due, DateTimeOffset now, HashSet<int> seen, List<int> queued, List<int> lookups,
        List<int> testMessages, CancellationToken cancellationToken)
    {
        foreach (var c in due)
        {
            // A case this run already moved, due again at once, waits for the next run (as it did with a single page).
            if (!seen.Add(c.Id)) continue;
            db.Attach(c);
            Probe? probe = null;
            var lookup = false;
            ProbeTestMessage? testMessage = null;
            switch (c.NextAction)
            {
                case CaseAction.Probe:
                    probe = CaseWorkflow.QueueProbe(c, cases.Value.ProbeMode, now);
                    break;
                case CaseAction.RetryProbe:
                    // The attempt to retry is the latest that ran; without one (nothing ran) a fresh probe does.
                    var retried = await db.Probes.Where(p => p.CaseId == c.Id && p.Status == ProbeStatus.Done && p.Token != null)
                        .OrderByDescending(p => p.Id).FirstOrDefaultAsync(cancellationToken);
                    probe = retried is null ? CaseWorkflow.QueueProbe(c, cases.Value.ProbeMode, now) : CaseWorkflow.QueueProbeRetry(c, retried, now);
                    break;
                case CaseAction.LookupContacts:
                    // Stays due until the job records its result; the bump keeps this dispatcher from enqueuing a
                    // second copy meanwhile and re-enqueues it once the lease has passed if the job was lost.
                    CaseWorkflow.ContactLookupDispatched(c, now, jobs.Value.RequeueAfter);
                    lookup = true;
                    break;
                case CaseAction.AwaitCanary:
                    testMessage = await CanaryWindow.ExpireAsync(db, c, probing.Value, now, cancellationToken);
                    if (c.State == CaseState.Unconfirmed)
                    {
                        var dropped = await db.Probes.Where(p => p.CaseId == c.Id && p.Kind == ProbeKind.Initial)
                            .OrderByDescending(p => p.Id).Select(p => p.RequestedBy).FirstOrDefaultAsync(cancellationToken);
                        CaseWorkflow.PlanUnconfirmedReprobe(c, dropped, retests.Value, now);
                    }
                    break;
                case CaseAction.Retest:
                    probe = CaseWorkflow.QueueRetest(c, await ProvingVariantsAsync(c.Id, cancellationToken), c.NextActionRequestedBy ?? CaseWorkflow.Schedule, now);
                    break;
                default:
                    log.LogWarning("Case {CaseId} has an unknown due action {Action}; it is left as it is", c.Id, c.NextAction);
                    db.ChangeTracker.Clear();
                    continue;
            }
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (probe is not null) queued.Add(probe.Id);
                if (lookup) lookups.Add(c.Id);
                if (testMessage is not null) testMessages.Add(testMessage.Id);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another dispatcher or an operator changed the case first; it is looked at again next time. Only this
                // case is tracked, so its changes are dropped with it (finally) and the rest of the page is untouched.
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// The variants a retest goes through: the accepted variants of the probe that proved the relay (the one whose
    /// test message arrived), else of the latest probe that had accepted variants; null (every variant) without one.
    /// </summary>
    private async Task<IReadOnlyList<string>?> ProvingVariantsAsync(int caseId, CancellationToken ct)
    {
        var proving = await db.Probes.Where(p => p.CaseId == caseId && p.AcceptedVariants != null
                && p.TestMessages.Any(m => m.Status == TestMessageStatus.Arrived))
            .OrderByDescending(p => p.Id).Select(p => p.AcceptedVariants).FirstOrDefaultAsync(ct)
            ?? await db.Probes.Where(p => p.CaseId == caseId && p.AcceptedVariants != null)
                .OrderByDescending(p => p.Id).Select(p => p.AcceptedVariants).FirstOrDefaultAsync(ct);
        return proving?.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Test messages whose job was lost: still queued <see cref="JobsOptions.RequeueAfter"/> after they were queued
    /// (the bump of QueuedAt is the lease that keeps the next run from enqueuing another copy meanwhile), or sending
    /// under a lease that ran out or was released at start-up. The job decides what each needs (send, or record an
    /// interrupted send); it is idempotent, so a copy too many does nothing.
    /// </summary>
    private async Task<int> RequeueLostTestMessagesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var stale = now - jobs.Value.RequeueAfter;
        var lost = await db.ProbeTestMessages
            .Where(m => (m.Status == TestMessageStatus.Queued && m.QueuedAt < stale)
                || (m.Status == TestMessageStatus.Sending && (m.LeaseUntil == null || m.LeaseUntil < now)))
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(500)
            .ToListAsync(ct);
        if (lost.Count == 0) return 0;
        await db.ProbeTestMessages.Where(m => lost.Contains(m.Id) && m.Status == TestMessageStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.QueuedAt, now), ct);
        foreach (var id in lost) jobsClient.Enqueue<TestMessageJob>(j => j.RunAsync(id, CancellationToken.None));
        return lost.Count;
    }

    /// <summary>
    /// Notices due: queued ones whose NextAttemptAt has come (not handed to a job within <see cref="JobsOptions.RequeueAfter"/>:
    /// LeaseUntil on a queued row is that hand-over lease, so a lost job is enqueued again once it passes), and sending
    /// ones whose lease ran out, which the job records as interrupted (never resent).
    /// </summary>
    private async Task<int> DispatchNoticesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var due = await db.Notices
            .Where(n => (n.State == NoticeState.Queued && n.NextAttemptAt <= now && (n.LeaseUntil == null || n.LeaseUntil < now))
                || (n.State == NoticeState.Sending && (n.LeaseUntil == null || n.LeaseUntil < now)))
            .OrderBy(n => n.NextAttemptAt).Select(n => n.Id).Take(500).ToListAsync(ct);
        if (due.Count == 0) return 0;
        var handOver = now + jobs.Value.RequeueAfter;
        await db.Notices.Where(n => due.Contains(n.Id) && n.State == NoticeState.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseUntil, handOver), ct);
        foreach (var id in due) jobsClient.Enqueue<NoticeJob>(j => j.RunAsync(id, CancellationToken.None));
        return due.Count;
    }

    /// <summary>
    /// At start-up: probes this node was running when it stopped cannot be running now; queue them again, and
    /// enqueue every queued probe (the in-memory job storage starts empty). Test messages likewise, except that one
    /// this node was sending is not sent again (see <see cref="TestMessageJob"/>).
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
        // A test message this node was sending when it stopped may have gone out: released (no holder), so its job
        // records it as interrupted and never sends it again. Queued ones are simply sent.
        var released = await db.ProbeTestMessages
            .Where(m => m.Status == TestMessageStatus.Sending && m.LeaseOwner == node)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.LeaseOwner, (string?)null)
                .SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        var messages = await db.ProbeTestMessages
            .Where(m => m.Status == TestMessageStatus.Queued || (m.Status == TestMessageStatus.Sending && m.LeaseUntil == null))
            .Select(m => m.Id).ToListAsync(cancellationToken);
        // A notice this node was sending when it stopped may have gone out: released (no lease), so the next dispatch
        // has its job record it as interrupted; queued ones handed to lost jobs are handed over again.
        var releasedNotices = await db.Notices
            .Where(n => n.State == NoticeState.Sending && n.LeaseOwner == node)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseOwner, (string?)null).SetProperty(n => n.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        await db.Notices.Where(n => n.State == NoticeState.Queued && n.LeaseUntil != null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        if (releasedNotices > 0) log.LogWarning("{Count} notices were being sent when this node stopped; they are marked interrupted, not resent", releasedNotices);
        // Contact lookups handed to jobs before the restart are gone with the in-memory storage: due again now.
        await db.Cases.Where(c => c.NextAction == CaseAction.LookupContacts && c.NextActionAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.NextActionAt, now).SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        foreach (var id in queued) jobsClient.Enqueue<ProbeJob>(j => j.RunAsync(id, CancellationToken.None));
        foreach (var id in messages) jobsClient.Enqueue<TestMessageJob>(j => j.RunAsync(id, CancellationToken.None));
        if (reclaimed + queued.Count + messages.Count > 0)
            log.LogInformation("Recovered {Reclaimed} interrupted probes; {Queued} queued probes enqueued; {Messages} test messages enqueued ({Released} interrupted mid-send)",
                reclaimed, queued.Count, messages.Count, released);
        Nudge(jobsClient);
    }
}
