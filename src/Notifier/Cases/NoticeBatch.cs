using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Cases;

/// <summary>
/// Batching (issue 11): when one contact is responsible for several confirmed relays due at once, one message tells
/// them about all of them. When a first notice is claimed, the other first notices to the same address that are
/// queued (so approved, or approval not required: one awaiting approval is never folded) and due are folded into it
/// and go out inside its message; each keeps its own row and case, and ends <see cref="NoticeState.Carried"/>
/// pointing at the carrier (<see cref="Notice.CarriedByNoticeId"/>). Folded at claim time rather than at planning,
/// because that is when "due at once" is known and inside the claim's transaction, so two jobs cannot both take one.
/// </summary>
public sealed class NoticeBatch(NotifierDb db, NoticePacing pacing)
{
    /// <summary>
    /// A notice that may be folded into a carrier at <paramref name="now"/>, whoever's it is: queued (approved, or
    /// approval not required), due, and in the desk's wording (no operator's edit). The candidates are chosen by it and
    /// each is taken by it again under the row lock, as it is by then.
    /// </summary>
    private static Expression<Func<Notice, bool>> FoldableAt(DateTimeOffset now) =>
        x => x.State == NoticeState.Queued && x.EditedText == null && x.NextAttemptAt <= now;

    /// <summary>
    /// The notices <paramref name="carrier"/> takes along, oldest first: same recipient, first notices, queued and due,
    /// of other cases that are not closed, not edited by an operator, and not held back by the re-notify rule for their own relay. The recipient's
    /// suppressions were checked for the carrier (the same address); the daily budget counts the message once.
    /// </summary>
    public async Task<List<Notice>> FoldAsync(Notice carrier, DateTimeOffset now, CancellationToken ct)
    {
        // An operator's own wording (Notice.EditedText) speaks for its one notice only: an edited notice neither
        // carries others (its text names one relay) nor is carried (its text would be lost in the carrier's).
        if (carrier.Kind != nameof(NoticeKind.FirstNotice) || carrier.EditedText is not null) return [];
        var candidates = await db.Notices.Include(x => x.Case).Where(FoldableAt(now))
            .Where(x => x.Id != carrier.Id && x.CaseId != carrier.CaseId && x.Recipient == carrier.Recipient && x.Kind == carrier.Kind
                && x.Case!.State != CaseState.Closed)
            .OrderBy(x => x.Id).ToListAsync(ct);
        var folded = new List<Notice>();
        foreach (var x in candidates)
        {
            if (await pacing.RenotifyWaitAsync(x, x.Case!.RelayKey, now, ct) is not null) continue;
            // Taken before it is folded (RowLock): its own job may be claiming it on another node at this moment, and
            // only one of the two may send it. Read again under the lock, as it is now.
            var id = x.Id;
            if (await db.Notices.Where(y => y.Id == id).Where(FoldableAt(now)).TakeAsync(y => y.State, ct) == 0) continue;
            await db.Entry(x).ReloadAsync(ct);
            CaseWorkflow.NoticeFolded(carrier, x);
            folded.Add(x);
        }
        return folded;
    }

    /// <summary>
    /// The notices <paramref name="carrier"/> carries that are in <paramref name="state"/>, with their cases, oldest
    /// first, taken for the caller's transaction (RowLock): a carried notice's own job (its lease ran out with the
    /// carrier's) must not record it otherwise while the carrier's outcome is being recorded.
    /// </summary>
    public async Task<List<Notice>> CarriedAsync(Notice carrier, string state, CancellationToken ct)
    {
        var carrierId = carrier.Id;
        var rows = db.Notices.Where(x => x.CarriedByNoticeId == carrierId && x.State == state);
        await rows.TakeAsync(x => x.State, ct);
        return await rows.Include(x => x.Case).OrderBy(x => x.Id).ToListAsync(ct);
    }
}
