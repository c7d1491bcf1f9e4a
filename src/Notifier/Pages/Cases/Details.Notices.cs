using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Intake;

namespace Notifier.Pages.Cases;

/// <summary>The case page's notice actions: remind, download an attachment, approve, edit and send, cancel, send again.</summary>
public sealed partial class DetailsModel
{
    /// <summary>An operator's reminder to the contact told last (<see cref="NoticeReminder"/>), approved by them and queued at once.</summary>
    public async Task<IActionResult> OnPostRemindAsync(int id, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        var outcome = await NoticeReminder.PlanAsync(db, suppressions, c, Actor, time.GetUtcNow(), ct);
        if (outcome.Notice is { } notice)
        {
            await db.SaveChangesAsync(ct);
            CaseDispatcher.Nudge(jobs);
            Message = notice.State is NoticeState.Sent or NoticeState.Carried
                ? $"Reminder {notice.Id} to {notice.Recipient} went out already ({notice.SentAt?.UtcDateTime:yyyy-MM-dd HH:mm} UTC)."
                : $"Reminder {notice.Id} to {notice.Recipient} is queued and sent within a minute.";
        }
        else Message = $"No reminder: {outcome.NotNotified ?? outcome.Refusal}.";
        return RedirectToPage(new { id });
    }

    /// <summary>One attachment of a notice, built as <see cref="NoticeJob"/> builds it (the same factory), as a download.</summary>
    public async Task<IActionResult> OnGetAttachmentAsync(int id, long notice, string? file, CancellationToken ct)
    {
        var row = await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.Id == notice && n.CaseId == id, ct);
        if (row is null) return NotFound();
        var (_, attachments) = await preview.RenderAsync(NoticeDto.From(row), ct);
        var attachment = attachments.FirstOrDefault(a => a.FileName == file);
        return attachment is null ? NotFound() : File(attachment.Content, attachment.MediaType, attachment.FileName);
    }

    public async Task<IActionResult> OnPostApproveNoticeAsync(int id, long notice, CancellationToken ct)
    {
        if (!await OfCaseAsync(id, notice, ct)) return NotFound();
        var result = await NoticeActions.ApproveAsync(db, [notice], Actor, time.GetUtcNow(), ct);
        if (result.Approved.Count == 1)
        {
            CaseDispatcher.Nudge(jobs);
            Message = $"Notice {notice} approved: it is queued and sent within a minute.";
        }
        else Message = $"Notice {notice} not approved: {result.Refused[0].Reason}.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostCancelNoticeAsync(int id, long notice, string? reason, CancellationToken ct)
    {
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } error) return await WithErrorAsync(id, error, ct);
        if (!await OfCaseAsync(id, notice, ct)) return NotFound();
        var outcome = await NoticeActions.CancelAsync(db, notice, Actor, reason ?? "cancelled in the dashboard", time.GetUtcNow(), ct);
        Message = outcome.Refusal is { } why ? $"Notice {notice} not cancelled: {why}." : $"Notice {notice} cancelled.";
        return RedirectToPage(new { id });
    }

    /// <summary>
    /// "Edit and send": the operator's own plain text for a notice awaiting approval or queued, with a reason
    /// (<see cref="NoticeActions.EditAsync"/>, as PUT /api/notices/{id}/text); one awaiting approval is approved with it.
    /// </summary>
    public async Task<IActionResult> OnPostEditNoticeAsync(int id, long notice, string? text, string? reason, CancellationToken ct)
    {
        if (NoticeActions.CheckEdit(ref text, ref reason) is { } error) return await WithErrorAsync(id, error, ct);
        if (!await OfCaseAsync(id, notice, ct)) return NotFound();
        var outcome = await NoticeActions.EditAsync(db, notice, text!, reason!, Actor, time.GetUtcNow(), ct);
        if (outcome.Succeeded)
        {
            CaseDispatcher.Nudge(jobs);
            Message = $"Notice {notice} edited: it is queued with your text and sent within a minute.";
        }
        else Message = $"Notice {notice} not edited: {outcome.Refusal}.";
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostResendNoticeAsync(int id, long notice, CancellationToken ct)
    {
        if (!await OfCaseAsync(id, notice, ct)) return NotFound();
        var outcome = await NoticeActions.ResendAsync(db, suppressions, notice, Actor, time.GetUtcNow(), ct);
        if (outcome.Succeeded)
        {
            CaseDispatcher.Nudge(jobs);
            Message = $"Notice {notice} is sent again as notice {outcome.Notice!.Id}.";
        }
        else Message = $"Notice {notice} not sent again: {outcome.Refusal}.";
        return RedirectToPage(new { id });
    }

    /// <summary>A notice id posted with a case id must be that case's (the redirect goes back to the case).</summary>
    private Task<bool> OfCaseAsync(int id, long notice, CancellationToken ct) => db.Notices.AnyAsync(n => n.Id == notice && n.CaseId == id, ct);

    private async Task<NoticeView> ViewAsync(NoticeDto n, CancellationToken ct)
    {
        try
        {
            var (content, attachments) = await preview.RenderAsync(n, ct);
            return new NoticeView(n, content, attachments, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As NoticeJob records it: a template or data problem a person must look at; the rest of the case still shows.
            log.LogError(e, "Notice {NoticeId} could not be rendered for the case page", n.Id);
            return new NoticeView(n, null, [], $"{e.GetType().Name}: {e.Message}");
        }
    }
}
