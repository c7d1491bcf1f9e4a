using System.Globalization;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>What a bulk action did to one case: done, or refused and why.</summary>
public sealed record CaseBulkOutcome(int CaseId, string Reference, bool Done, string What);

/// <summary>
/// The case list's bulk actions on the selected cases (issue 13): each goes through the one named action the API and
/// the case page use (<see cref="NoticeActions"/>, <see cref="CaseProbeRequests"/>, <see cref="CaseClosing"/>,
/// <see cref="CaseWorkflow.Assign"/>), changes the cases and enqueues; nothing probes or sends inline. Every case gets
/// an outcome, in the order given.
/// </summary>
public static class CaseBulkActions
{
    /// <summary>The most cases one bulk action takes (a page of the list at its largest).</summary>
    public const int MaxCases = CasePaging.MaxPageSize;

    /// <summary>Approves every notice awaiting approval of each case; a case with none is refused.</summary>
    public static async Task<IReadOnlyList<CaseBulkOutcome>> ApproveAsync(NotifierDb db, IReadOnlyList<int> caseIds, string actor, DateTimeOffset now, IBackgroundJobClient jobs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var waiting = await db.Notices.AsNoTracking().Where(n => caseIds.Contains(n.CaseId) && n.State == NoticeState.AwaitingApproval)
            .OrderBy(n => n.Id).Select(n => new { n.Id, n.CaseId }).ToListAsync(ct);
        var result = waiting.Count == 0
            ? new ApproveNoticesResult([], [])
            : await NoticeActions.ApproveAsync(db, waiting.Select(n => n.Id).ToList(), actor, now, ct);
        if (result.Approved.Count > 0) CaseDispatcher.Nudge(jobs);
        var caseOf = waiting.ToDictionary(n => n.Id, n => n.CaseId);
        var existing = await ExistingAsync(db, caseIds, ct);
        return caseIds.Select(id =>
        {
            if (!existing.Contains(id)) return NoSuchCase(id);
            var approved = result.Approved.Where(n => n.CaseId == id).Select(n => $"{n.Kind} {n.Id} to {n.Recipient}").ToList();
            var refused = result.Refused.Where(r => caseOf.GetValueOrDefault(r.Id) == id).Select(r => $"notice {r.Id}: {r.Reason}").ToList();
            if (approved.Count == 0 && refused.Count == 0) return new CaseBulkOutcome(id, CaseReference.Format(id), false, "no notice awaiting approval");
            var what = string.Join("; ", approved.Select(a => $"approved {a}").Concat(refused.Select(r => $"refused {r}")));
            return new CaseBulkOutcome(id, CaseReference.Format(id), approved.Count > 0, what);
        }).ToList();
    }

    /// <summary>A retest of each notified case (a probe of one never notified), at the first moment <c>Retests:MinInterval</c> allows.</summary>
    public static async Task<IReadOnlyList<CaseBulkOutcome>> RetestAsync(NotifierDb db, IReadOnlyList<int> caseIds, string actor, RetestOptions retests,
        TimeProvider time, IBackgroundJobClient jobs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var outcomes = new List<CaseBulkOutcome>();
        foreach (var id in caseIds)
        {
            var r = await CaseProbeRequests.RequestAsync(db, id, actor, "requested in the dashboard's case list", false, retests, time, jobs, ct);
            db.ChangeTracker.Clear();
            outcomes.Add(r switch
            {
                null => NoSuchCase(id),
                { Kind: ProbeRequestedDto.Nothing } => new CaseBulkOutcome(id, CaseReference.Format(id), false, "the case is closed"),
                _ => new CaseBulkOutcome(id, CaseReference.Format(id), true, string.Create(CultureInfo.InvariantCulture,
                    $"{r.Kind} runs at {r.RunsAt?.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC")),
            });
        }
        return outcomes;
    }

    /// <summary>Closes each case with <paramref name="reason"/> and <paramref name="note"/> (checked with <see cref="CaseClosing.Check"/>).</summary>
    public static async Task<IReadOnlyList<CaseBulkOutcome>> CloseAsync(NotifierDb db, IReadOnlyList<int> caseIds, string actor, string reason, string? note, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var outcomes = new List<CaseBulkOutcome>();
        foreach (var id in caseIds)
        {
            var (c, wasClosed) = await CaseClosing.CloseAsync(db, id, actor, reason, note, now, ct);
            db.ChangeTracker.Clear();
            outcomes.Add(c is null ? NoSuchCase(id)
                : wasClosed ? new CaseBulkOutcome(id, c.Reference, false, "the case was closed already")
                : new CaseBulkOutcome(id, c.Reference, true, $"closed ({reason})"));
        }
        return outcomes;
    }

    /// <summary>
    /// Gives each case to <paramref name="assignee"/>, an existing enabled operator's user name, or to nobody (null).
    /// Any other name refuses every case: a case assigned to nobody who can sign in would be worked by no one.
    /// </summary>
    public static async Task<IReadOnlyList<CaseBulkOutcome>> AssignAsync(NotifierDb db, IReadOnlyList<int> caseIds, string actor, string? assignee, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (assignee is not null && !await db.Operators.AnyAsync(o => o.UserName == assignee && o.DisabledAt == null, ct))
            return caseIds.Select(id => new CaseBulkOutcome(id, CaseReference.Format(id), false, $"{assignee} is no enabled operator")).ToList();
        var outcomes = new List<CaseBulkOutcome>();
        foreach (var id in caseIds)
        {
            Case? c = null;
            var changed = false;
            await CasesApi.OperatorWinsAsync(db, async () =>
            {
                c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
                if (c is null) return;
                changed = CaseWorkflow.Assign(c, actor, assignee, now);
                await db.SaveChangesAsync(ct);
            });
            db.ChangeTracker.Clear();
            var to = assignee ?? "nobody";
            outcomes.Add(c is null ? NoSuchCase(id) : new CaseBulkOutcome(id, c.Reference, true, changed ? $"assigned to {to}" : $"already assigned to {to}"));
        }
        return outcomes;
    }

    private static async Task<HashSet<int>> ExistingAsync(NotifierDb db, IReadOnlyList<int> ids, CancellationToken ct) =>
        (await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();

    private static CaseBulkOutcome NoSuchCase(int id) => new(id, CaseReference.Format(id), false, "no such case");
}
