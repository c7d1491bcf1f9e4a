using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Intake;
using Notifier.Notices;

namespace Notifier.Pages.Cases;

/// <summary>
/// One case: its probes with the evidence, its notices (rendered as their job builds them), its timeline, and the
/// operator's actions (which only change the case or the notice and enqueue; the jobs probe and send).
/// </summary>
public sealed class DetailsModel(NotifierDb db, TimeProvider time, IBackgroundJobClient jobs, NoticePreview preview, NoticeSuppressions suppressions,
    Microsoft.Extensions.Options.IOptions<RetestOptions> retests, ILogger<DetailsModel> log) : PageModel
{
    /// <summary>A notice with what it says now: the rendered parts and attachments, or why they could not be built.</summary>
    public sealed record NoticeView(NoticeDto Notice, RenderedNotice? Content, IReadOnlyList<NoticeAttachment> Attachments, string? RenderError);

    public Case? Case { get; private set; }
    public IReadOnlyList<ProbeDto> Probes { get; private set; } = [];
    public IReadOnlyList<CaseEvent> Events { get; private set; } = [];
    public IReadOnlyList<SampleDto> Samples { get; private set; } = [];
    public IReadOnlyList<CaseContactDto> Contacts { get; private set; } = [];
    public ContactLookupDto? ContactLookup { get; private set; }
    public IReadOnlyList<NoticeView> Notices { get; private set; } = [];

    /// <summary>Whether an operator may send a reminder: a direct contact was told and the relay is not found closed (<see cref="NoticeReminder"/> decides the rest).</summary>
    public bool CanRemind { get; private set; }

    /// <summary>Any kind of notice rendered for this case on request (<see cref="OnGetPreviewAsync"/>), or why it could not be.</summary>
    public NoticePreviewDto? Preview { get; private set; }
    public string? PreviewError { get; private set; }
    public string PreviewKind { get; private set; } = nameof(NoticeKind.FirstNotice);
    public string? PreviewLanguage { get; private set; }
    [TempData] public string? Message { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var d = await CaseQueries.DetailAsync(db, id, ct);
        if (d is null) return NotFound();
        Case = d.Case;
        Probes = d.Probes;
        // The timeline shows the latest event first.
        Events = d.Events.Reverse().ToList();
        Samples = d.Samples;
        Contacts = d.Contacts;
        ContactLookup = d.ContactLookup;
        var notices = new List<NoticeView>();
        // Newest first, as the timeline.
        foreach (var n in d.Notices.Reverse()) notices.Add(await ViewAsync(n, ct));
        Notices = notices;
        CanRemind = d.Case.State is not (CaseState.Closed or CaseState.Resolved)
            && d.Notices.Any(n => n.State is NoticeState.Sent or NoticeState.Carried && n.Kind is nameof(NoticeKind.FirstNotice) or nameof(NoticeKind.Reminder) or nameof(NoticeKind.StillOpen));
        return Page();
    }

    /// <summary>The case page with a notice of any kind rendered for it, in a language (the contact's when none is given), without sending.</summary>
    public async Task<IActionResult> OnGetPreviewAsync(int id, string? kind, string? lang, CancellationToken ct)
    {
        var page = await OnGetAsync(id, ct);
        if (Case is null) return page;
        if (!Enum.TryParse<NoticeKind>(kind, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || kind!.Any(char.IsDigit))
        {
            PreviewError = $"Choose one of {string.Join(", ", Enum.GetNames<NoticeKind>())}.";
            return page;
        }
        if (lang is not (null or "" or NoticeLanguage.English or NoticeLanguage.German))
        {
            PreviewError = $"The language is {NoticeLanguage.English} or {NoticeLanguage.German}.";
            return page;
        }
        PreviewKind = parsed.ToString();
        PreviewLanguage = string.IsNullOrEmpty(lang) ? null : lang;
        try
        {
            var (rendered, error) = await preview.RenderAsync(id, parsed, PreviewLanguage, null, ct);
            Preview = rendered;
            PreviewError = error;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As the notices' own previews: a template or data problem shows here, the rest of the case still shows.
            log.LogError(e, "A {Kind} preview for case {CaseId} could not be rendered", parsed, id);
            PreviewError = $"Could not be rendered: {e.GetType().Name}: {e.Message}";
        }
        return page;
    }

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
            Message = $"Reminder {notice.Id} to {notice.Recipient} is queued and sent within a minute.";
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
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } error)
        {
            Error = error.ToString();
            return await OnGetAsync(id, ct);
        }
        if (!await OfCaseAsync(id, notice, ct)) return NotFound();
        var outcome = await NoticeActions.CancelAsync(db, notice, Actor, reason ?? "cancelled in the dashboard", time.GetUtcNow(), ct);
        Message = outcome.Refusal is { } why ? $"Notice {notice} not cancelled: {why}." : $"Notice {notice} cancelled.";
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

    public async Task<IActionResult> OnPostProbeAsync(int id, CancellationToken ct)
    {
        var outcome = await CaseProbeRequests.RequestAsync(db, id, Actor, "requested in the dashboard", false, retests.Value, time, jobs, ct);
        if (outcome is null) return NotFound();
        Message = outcome.Kind switch
        {
            ProbeRequestedDto.Retest when outcome.RunsAt > time.GetUtcNow() =>
                $"A retest runs at {outcome.RunsAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC (Retests:MinInterval after the latest one).",
            ProbeRequestedDto.Retest => "A retest is queued; refresh in a few seconds.",
            ProbeRequestedDto.Probe => "A probe is queued; refresh in a few seconds.",
            _ => null,
        };
        return RedirectToPage(new { id });
    }

    public async Task<IActionResult> OnPostLookupAsync(int id, CancellationToken ct)
    {
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (c.State != CaseState.Closed)
        {
            var scheduled = CaseWorkflow.RequestContactLookup(c, Actor, time.GetUtcNow(), "requested in the dashboard");
            await db.SaveChangesAsync(ct);
            ContactsApi.Enqueue(jobs, id, scheduled);
            Message = "A contact lookup is queued; refresh in a few seconds.";
        }
        return RedirectToPage(new { id });
    }

    /// <param name="closeReason">One of <see cref="CloseReason.ForOperators"/> (the select); <paramref name="reason"/> is the note.</param>
    public async Task<IActionResult> OnPostCloseAsync(int id, string? closeReason, string? reason, CancellationToken ct)
    {
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } error)
        {
            // Shown on the page with the case, as the new-case form shows its field errors; nothing is changed.
            Error = error.ToString();
            return await OnGetAsync(id, ct);
        }
        closeReason ??= CloseReason.Other;
        if (!CloseReason.ForOperators.Contains(closeReason, StringComparer.Ordinal))
        {
            Error = $"reason: must be one of {string.Join(", ", CloseReason.ForOperators)}";
            return await OnGetAsync(id, ct);
        }
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return NotFound();
        if (c.State != CaseState.Closed)
        {
            CaseWorkflow.Close(c, Actor, closeReason, reason ?? "closed in the dashboard", time.GetUtcNow());
            await db.SaveChangesAsync(ct);
            Message = "Case closed.";
        }
        return RedirectToPage(new { id });
    }

    private string Actor => $"operator:{User.Identity?.Name}";
}
