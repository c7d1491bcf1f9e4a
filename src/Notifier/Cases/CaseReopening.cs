using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// Reopens a closed case (<see cref="CaseWorkflow.Reopen"/>), refused while another case of the same relay is open:
/// one open case per relay (<see cref="Case.OpenRelayKey"/> is unique), and that case is where the work goes on.
/// Saves; the caller nudges the dispatcher so the probe due now starts in seconds.
/// </summary>
public static class CaseReopening
{
    /// <summary>Null when there is no such case; otherwise the outcome (done, or why not).</summary>
    public static async Task<CaseReopenOutcome?> ReopenAsync(NotifierDb db, int id, string actor, string why, DateTimeOffset now, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return null;
        if (c.State != CaseState.Closed) return CaseReopenOutcome.Refused($"{c.Reference} is {c.State}, not closed: only a closed case can be reopened");
        if (await OpenCaseOfAsync(db, c, ct) is { } open) return OpenElsewhere(c, open);
        CaseWorkflow.Reopen(c, actor, why, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A report opened a case of the relay between the check and the save: the unique index refused this one.
            db.ChangeTracker.Clear();
            if (await OpenCaseOfAsync(db, c, ct) is { } raced) return OpenElsewhere(c, raced);
            throw;
        }
        return CaseReopenOutcome.Done;
    }

    private static Task<int?> OpenCaseOfAsync(NotifierDb db, Case c, CancellationToken ct) =>
        db.Cases.AsNoTracking().Where(x => x.OpenRelayKey == c.RelayKey && x.Id != c.Id).Select(x => (int?)x.Id).FirstOrDefaultAsync(ct);

    private static CaseReopenOutcome OpenElsewhere(Case c, int? open) =>
        CaseReopenOutcome.Refused($"{CaseReference.Format(open!.Value)} is the open case of {c.RelayKey}: work on that one (a relay has one open case at a time)", open);
}

/// <summary>What reopening did: <see cref="Refusal"/> null when the case is open again; <see cref="OpenCaseId"/> the other open case of the relay, when that was why not.</summary>
public sealed record CaseReopenOutcome(string? Refusal, int? OpenCaseId)
{
    public static readonly CaseReopenOutcome Done = new(null, null);

    public static CaseReopenOutcome Refused(string why, int? openCaseId = null) => new(why, openCaseId);
}
