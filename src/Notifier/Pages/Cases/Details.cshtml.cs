using Hangfire;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Intake;
using Notifier.Notices;

namespace Notifier.Pages.Cases;

/// <summary>
/// One case on one page: the header (what it is and what is due), one timeline of everything that happened, its
/// probes with the evidence, its notices (rendered as their job builds them), its replies and contacts, and the
/// operator's actions. Actions only change the case, a notice, a reply or the contacts policy, through the named
/// methods the API uses too, and enqueue; the jobs probe and send. This file loads the page; the actions are in the
/// partial files beside it by concern (Details.Notices.cs, Details.Contacts.cs, Details.Desk.cs, Details.Replies.cs).
/// </summary>
public sealed partial class DetailsModel(NotifierDb db, TimeProvider time, IBackgroundJobClient jobs, NoticePreview preview, NoticeSuppressions suppressions,
    Microsoft.Extensions.Options.IOptions<RetestOptions> retests, ReplyIntentChange intents, ContactRules contactRules, SuppressionList suppressionList,
    OwnerLinks ownerLinks, ILogger<DetailsModel> log) : PageModel
{
    /// <summary>A notice with what it says now: the rendered parts and attachments, or why they could not be built.</summary>
    public sealed record NoticeView(NoticeDto Notice, RenderedNotice? Content, IReadOnlyList<NoticeAttachment> Attachments, string? RenderError);

    /// <summary>A probe with the lines of its transcript that belong to an accepted variant (<see cref="AcceptedVariantLines"/>).</summary>
    public sealed record ProbeView(ProbeDto Probe, bool[] AcceptedLines);

    public Case? Case { get; private set; }
    public IReadOnlyList<ProbeView> Probes { get; private set; } = [];
    public IReadOnlyList<SampleDto> Samples { get; private set; } = [];
    public IReadOnlyList<CaseContactDto> Contacts { get; private set; } = [];
    public ContactLookupDto? ContactLookup { get; private set; }
    public IReadOnlyList<NoticeView> Notices { get; private set; } = [];
    public IReadOnlyList<CaseReplyView> Replies { get; private set; } = [];

    /// <summary>Every event, probe, notice and reply, newest first (<see cref="CaseTimeline"/>).</summary>
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    /// <summary>The host name the latest probe that learned one saw (banner or EHLO), or null.</summary>
    public string? HostName { get; private set; }

    /// <summary>The enabled accounts a case can be given to (operators and admins; a viewer cannot work a case).</summary>
    public IReadOnlyList<string> Assignable { get; private set; } = [];

    /// <summary>The time the page was made, for "in 5 min" / "3 h ago".</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>Whether to show the forms that change something; viewers only read (their POSTs are refused anyway).</summary>
    public bool CanAct => User.CanAct();

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
        Now = time.GetUtcNow();
        Case = d.Case;
        // Newest first, as the timeline.
        Probes = d.Probes.Select(p => new ProbeView(p, AcceptedVariantLines.Mark(p.Transcript ?? [], p.Variants))).ToList();
        HostName = d.Probes.Select(p => p.HostName).FirstOrDefault(h => h is not null);
        Samples = d.Samples;
        Contacts = d.Contacts;
        ContactLookup = d.ContactLookup;
        LiveOwnerLinks = await ownerLinks.LiveAsync(id, Now, ct);
        var notices = new List<NoticeView>();
        foreach (var n in d.Notices.Reverse()) notices.Add(await ViewAsync(n, ct));
        Notices = notices;
        // One case's replies (the bytes stay in the database; the inbox API serves the .eml).
        Replies = await db.InboundMessages.AsNoTracking().Where(m => m.CaseId == id && m.Class == InboundClass.Reply).OrderByDescending(m => m.Id)
            .Select(m => new CaseReplyView(m.Id, m.Date ?? m.FetchedAt, m.FromAddress ?? m.From, m.Subject, m.Intent, m.HeldIntent, m.Detail)).ToListAsync(ct);
        Timeline = CaseTimeline.Build(d, Replies);
        if (CanAct)
        {
            Assignable = await db.Operators.AsNoTracking()
                .Where(a => a.DisabledAt == null && (a.Role == OperatorRole.Operator || a.Role == OperatorRole.Admin))
                .OrderBy(a => a.UserName).Select(a => a.UserName).ToListAsync(ct);
        }
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

    private string Actor => DeskUser.Actor(User);

    /// <summary>The page again with <paramref name="error"/> shown above it (as the new-case form shows field errors); nothing was changed.</summary>
    private async Task<IActionResult> WithErrorAsync(int id, IntakeError error, CancellationToken ct)
    {
        Error = error.ToString();
        return await OnGetAsync(id, ct);
    }
}
