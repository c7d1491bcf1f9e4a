using Hangfire;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// "Probe it again", asked by a person (the API, the case page, the owner page): a case never
/// notified gets a probe now; a notified one a retest, RCPT only, at the first moment <c>Retests:MinInterval</c>
/// allows (so a burst of requests runs one); <paramref name="fullConfirmation"/> asks instead for an initial probe
/// with a signed test message beside the schedule (an operator's tool: the owner page never asks for it).
/// </summary>
public static class CaseProbeRequests
{
    /// <summary>Records the request and starts it (nudges the dispatcher, or enqueues the confirmation); null when there is no such case.</summary>
    /// <param name="admit">
    /// Asked on the loaded open case, inside the same save (and asked again when a concurrent change makes the save
    /// retry), whether this request may run; it may record why it was asked (the owner page's limits and event).
    /// False: nothing changes and the answer is <see cref="ProbeRequestedDto.Refused"/>.
    /// </param>
    public static async Task<ProbeRequestedDto?> RequestAsync(NotifierDb db, int id, string actor, string why, bool fullConfirmation,
        RetestOptions retests, TimeProvider time, IBackgroundJobClient jobs, CancellationToken ct, Func<Case, DateTimeOffset, Task<bool>>? admit = null)
    {
        ProbeRequestedDto? result = null;
        Probe? confirmation = null;
        await CasesApi.OperatorWinsAsync(db, async () =>
        {
            result = null;
            confirmation = null;
            var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
            if (c is null) return;
            if (c.State == CaseState.Closed)
            {
                result = new ProbeRequestedDto(ProbeRequestedDto.Nothing, null, CaseSummaryDto.From(c));
                return;
            }
            var now = time.GetUtcNow();
            if (admit is not null && !await admit(c, now))
            {
                result = new ProbeRequestedDto(ProbeRequestedDto.Refused, null, CaseSummaryDto.From(c));
                return;
            }
            result = Request(c, actor, why, fullConfirmation, retests, now, out confirmation);
            await db.SaveChangesAsync(ct);
        });
        if (result is null || result.Kind is ProbeRequestedDto.Nothing or ProbeRequestedDto.Refused) return result;
        if (confirmation is { } p) jobs.Enqueue<ProbeJob>(j => j.RunAsync(p.Id, CancellationToken.None));
        else CaseDispatcher.Nudge(jobs);
        return result;
    }

    /// <summary>The decision alone, on a loaded open case: what runs, and when.</summary>
    public static ProbeRequestedDto Request(Case c, string actor, string why, bool fullConfirmation, RetestOptions retests, DateTimeOffset now, out Probe? confirmation)
    {
        confirmation = null;
        if (!CaseWorkflow.IsNotified(c))
        {
            CaseWorkflow.RequestProbe(c, actor, now, why);
            return new ProbeRequestedDto(ProbeRequestedDto.Probe, now, CaseSummaryDto.From(c));
        }
        if (fullConfirmation)
        {
            confirmation = CaseWorkflow.QueueFullConfirmation(c, actor, ProbeMode.Quick, now);
            return new ProbeRequestedDto(ProbeRequestedDto.FullConfirmation, now, CaseSummaryDto.From(c));
        }
        var at = CaseWorkflow.RequestRetest(c, actor, why, retests, now);
        return new ProbeRequestedDto(ProbeRequestedDto.Retest, at, CaseSummaryDto.From(c));
    }
}

/// <summary>What a "probe it again" request started: a probe, a retest or a full confirmation, and when it runs.</summary>
public sealed record ProbeRequestedDto(string Kind, DateTimeOffset? RunsAt, CaseSummaryDto Case)
{
    public const string Probe = "probe";
    public const string Retest = "retest";
    public const string FullConfirmation = "full-confirmation";

    /// <summary>Nothing runs: the case is closed.</summary>
    public const string Nothing = "none";

    /// <summary>Nothing runs: the caller's admission check refused it (the owner page's rate limits).</summary>
    public const string Refused = "refused";
}
