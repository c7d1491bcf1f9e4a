using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// "I fixed it — test again now" for one owner-page visit: whether it may be asked now (<see cref="OwnerRetestLimit"/>,
/// <see cref="OwnerRetestClientLimiter"/>), asking it through the one retest path (<see cref="CaseProbeRequests"/>), and
/// what the retest it started shows. Only ever the visit's own case: the target is the case's relay, never anything
/// from the request, and a probe is looked up within the case.
/// </summary>
public sealed class OwnerRetests(
    NotifierDb db,
    TimeProvider time,
    IBackgroundJobClient jobs,
    OwnerRetestClientLimiter clients,
    IOptions<OwnerRetestOptions> options,
    IOptions<RetestOptions> retests,
    ProbeSpacing spacing)
{
    /// <summary>When the visit's owner may ask next; null: now.</summary>
    public Task<DateTimeOffset?> NextAllowedAsync(OwnerVisit visit, CancellationToken ct) =>
        OwnerRetestLimit.NextAllowedAsync(db, visit.Case.Id, options.Value, spacing.PerTarget, time.GetUtcNow(), ct);

    /// <summary>
    /// Asks for the retest: the per-case limits first (read, then again inside the save, so two nodes cannot both
    /// admit one), then the client address's; a refused request changes nothing.
    /// </summary>
    public async Task<OwnerRetestAsked> AskAsync(OwnerVisit visit, string client, CancellationToken ct)
    {
        if (visit.Case.State == CaseState.Closed || !CaseWorkflow.IsNotified(visit.Case)) return new(OwnerRetestAnswer.NotAvailable, null);
        if (await NextAllowedAsync(visit, ct) is { } next) return new(OwnerRetestAnswer.TooSoon, next);
        if (clients.TryAcquire(client) is { } wait) return new(OwnerRetestAnswer.TooSoon, time.GetUtcNow() + wait);
        DateTimeOffset? refusedUntil = null;
        var answer = await CaseProbeRequests.RequestAsync(db, visit.Case.Id, CaseWorkflow.OwnerActor(visit.Contact.Address),
            $"the owner ({visit.Contact.Address}) says it is fixed (owner page)", fullConfirmation: false, retests.Value, time, jobs, ct,
            admit: async (c, now) =>
            {
                refusedUntil = await OwnerRetestLimit.NextAllowedAsync(db, c.Id, options.Value, spacing.PerTarget, now, ct);
                if (refusedUntil is not null || !CaseWorkflow.IsNotified(c)) return false;
                CaseWorkflow.OwnerRetestRequested(c, visit.Contact.Address, client, now);
                return true;
            });
        return answer?.Kind switch
        {
            ProbeRequestedDto.Retest => new(OwnerRetestAnswer.Started, answer.RunsAt),
            ProbeRequestedDto.Refused when refusedUntil is not null => new(OwnerRetestAnswer.TooSoon, refusedUntil),
            _ => new(OwnerRetestAnswer.NotAvailable, null),
        };
    }

    /// <summary>
    /// The retest to show: <paramref name="probeId"/> when given (null when it is not a retest of this case), else the
    /// latest retest queued since the owner's latest request (null when none has started yet or nobody asked).
    /// </summary>
    public async Task<Probe?> ProbeAsync(OwnerVisit visit, int? probeId, CancellationToken ct)
    {
        var retestsOfCase = db.Probes.AsNoTracking().Where(p => p.CaseId == visit.Case.Id && p.Kind == ProbeKind.Retest);
        if (probeId is { } id) return await retestsOfCase.SingleOrDefaultAsync(p => p.Id == id, ct);
        if (await LatestRequestAsync(visit, ct) is not { } asked) return null;
        return await retestsOfCase.Where(p => p.QueuedAt >= asked).OrderByDescending(p => p.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>When the owner (any contact of the case) last asked on the owner page; null: never.</summary>
    public Task<DateTimeOffset?> LatestRequestAsync(OwnerVisit visit, CancellationToken ct) =>
        db.CaseEvents.AsNoTracking().Where(e => e.CaseId == visit.Case.Id && e.Kind == CaseEventKind.OwnerRetest)
            .OrderByDescending(e => e.At).Select(e => (DateTimeOffset?)e.At).FirstOrDefaultAsync(ct);

    /// <summary>Whether nothing more will happen to this probe (done or not run).</summary>
    public static bool IsOver(Probe p) => p.Status is ProbeStatus.Done or ProbeStatus.Skipped;
}

/// <summary>What asking for an owner retest did.</summary>
/// <param name="At">Started: when it runs; too soon: when the next request is possible.</param>
public sealed record OwnerRetestAsked(OwnerRetestAnswer Answer, DateTimeOffset? At);

public enum OwnerRetestAnswer
{
    /// <summary>The retest is asked for and runs at the time given.</summary>
    Started,

    /// <summary>A limit refused it; the time given is when the next request is possible.</summary>
    TooSoon,

    /// <summary>The case is closed (or not notified yet): no retest from the owner page.</summary>
    NotAvailable,
}
