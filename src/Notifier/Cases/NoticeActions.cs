using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Cases;

/// <summary>
/// An operator's actions on notices (approve, cancel, resend, edit and send), shared by the REST API and the case page so the rules
/// are written once. Each changes rows only and saves; the caller enqueues the dispatcher, whose job sends.
/// </summary>
public static class NoticeActions
{
    /// <summary>Approves each notice awaiting approval of an open case; says why for each one it refuses.</summary>
    public static async Task<ApproveNoticesResult> ApproveAsync(NotifierDb db, IReadOnlyList<long> ids, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var notices = await db.Notices.Include(n => n.Case).Where(n => ids.Contains(n.Id)).ToDictionaryAsync(n => n.Id, ct);
        var approved = new List<Notice>();
        var refused = new List<NoticeActionError>();
        foreach (var id in ids)
        {
            if (!notices.TryGetValue(id, out var n)) refused.Add(new(id, NoSuchNotice));
            else if (n.State != NoticeState.AwaitingApproval) refused.Add(new(id, $"the notice is {n.State}, not {NoticeState.AwaitingApproval}"));
            else if (n.Case!.State == CaseState.Closed) refused.Add(new(id, "the case is closed"));
            else
            {
                CaseWorkflow.ApproveNotice(n.Case, n, actor, now);
                approved.Add(n);
            }
        }
        await db.SaveChangesAsync(ct);
        return new ApproveNoticesResult(approved.Select(NoticeDto.From).ToList(), refused);
    }

    /// <summary>The reason <see cref="ApproveAsync"/> gives for an id that is no notice.</summary>
    public const string NoSuchNotice = "no such notice";

    /// <summary>Cancels a notice awaiting approval or queued.</summary>
    public static async Task<NoticeActionOutcome> CancelAsync(NotifierDb db, long id, string actor, string reason, DateTimeOffset now, CancellationToken ct)
    {
        var n = await db.Notices.Include(x => x.Case).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return NoticeActionOutcome.NotFound;
        if (n.State is not (NoticeState.AwaitingApproval or NoticeState.Queued))
            return NoticeActionOutcome.Refused(n, $"the notice is {n.State}: only a notice awaiting approval or queued can be cancelled");
        var other = await db.Notices.AnyAsync(x => x.CaseId == n.CaseId && x.Id != n.Id
            && (x.State == NoticeState.AwaitingApproval || x.State == NoticeState.Queued || x.State == NoticeState.Sending), ct);
        CaseWorkflow.CancelNotice(n.Case!, n, actor, reason, other, now);
        await db.SaveChangesAsync(ct);
        return NoticeActionOutcome.Done(n);
    }

    /// <summary>
    /// The one rule for an edit (the API and the case page): the text is required (line breaks and tabs allowed, at
    /// most <see cref="EditedNoticeText.MaxLength"/>), and so is the reason (one line, <see cref="FreeText.MaxReasonLength"/>):
    /// a notice that says something other than its template must say on the timeline why. Trims both.
    /// </summary>
    public static IntakeError? CheckEdit(ref string? text, ref string? reason)
    {
        if (FreeText.Check("text", ref text, EditedNoticeText.MaxLength, allowLineBreaks: true) is { } badText) return badText;
        if (text is null) return new IntakeError("text", "is required: the plain text the notice is to say");
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } badReason) return badReason;
        if (reason is null) return new IntakeError("reason", "is required: say why the notice says something other than its template");
        return null;
    }

    /// <summary>
    /// "Edit and send": a notice awaiting approval or queued (not yet sending) gets the operator's text
    /// (<see cref="CaseWorkflow.EditNotice"/>) and, when it awaited approval, is approved. <paramref name="text"/> and
    /// <paramref name="reason"/> have passed <see cref="CheckEdit"/>. In one transaction, so a notice job's claim
    /// (queued → sending, also one transaction; SQLite serializes the two writers) either sees the edit or makes it refused.
    /// </summary>
    public static async Task<NoticeActionOutcome> EditAsync(NotifierDb db, long id, string text, string reason, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var (checkedText, checkedReason) = ((string?)text, (string?)reason);
        if (CheckEdit(ref checkedText, ref checkedReason) is { } invalid) throw new ArgumentException(invalid.ToString(), invalid.Field);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var n = await db.Notices.Include(x => x.Case).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return NoticeActionOutcome.NotFound;
        if (n.State is not (NoticeState.AwaitingApproval or NoticeState.Queued))
            return NoticeActionOutcome.Refused(n, $"the notice is {n.State}: only a notice awaiting approval or queued (not yet sending) can be edited");
        if (n.Case!.State == CaseState.Closed) return NoticeActionOutcome.Refused(n, "the case is closed");
        CaseWorkflow.EditNotice(n.Case, n, actor, checkedText!, checkedReason!, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return NoticeActionOutcome.Done(n);
    }

    /// <summary>Plans a sent, interrupted or failed notice again as a new notice (queued, approved by the actor).</summary>
    public static async Task<NoticeActionOutcome> ResendAsync(NotifierDb db, NoticeSuppressions suppressions, long id, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var n = await db.Notices.Include(x => x.Case).SingleOrDefaultAsync(x => x.Id == id, ct);
        if (n is null) return NoticeActionOutcome.NotFound;
        if (n.State is not (NoticeState.Sent or NoticeState.Interrupted or NoticeState.Failed))
            return NoticeActionOutcome.Refused(n, $"the notice is {n.State}: only a sent, interrupted or failed notice can be sent again");
        if (n.Case!.State == CaseState.Closed) return NoticeActionOutcome.Refused(n, "the case is closed");
        if (await suppressions.FindAsync(n.Recipient, ct) is { } s) return NoticeActionOutcome.Refused(n, $"{n.Recipient} is suppressed ({s.Value}: {s.Reason})");
        var copy = CaseWorkflow.PlanNotice(n.Case, n.Kind, n.Recipient, n.CaseContactId, actor, n.Id, now, actor, $"resend of notice {n.Id} ({n.State})", now);
        // An operator's resend is deliberate: the copy is a new message (its own Message-ID), and the re-notify rule
        // does not hold it back (the state at plan differs from the earlier notice's).
        copy.CaseStateAtPlan = $"resend:{n.Id}";
        db.Notices.Add(copy);
        await db.SaveChangesAsync(ct);
        return NoticeActionOutcome.Done(copy);
    }
}

/// <summary>What a notice action did: the notice it changed or made, or why it did nothing (no notice; refused).</summary>
public sealed record NoticeActionOutcome(Notice? Notice, string? Refusal)
{
    public static readonly NoticeActionOutcome NotFound = new(null, null);

    public static NoticeActionOutcome Refused(Notice notice, string why) => new(notice, why);

    public static NoticeActionOutcome Done(Notice notice) => new(notice, null);

    public bool Succeeded => Notice is not null && Refusal is null;
}
