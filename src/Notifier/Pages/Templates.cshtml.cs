using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Pages;

/// <summary>
/// Any notice template for any case, in either language, for a chosen contact: rendered by <see cref="NoticePreview"/>
/// exactly as <c>GET /api/cases/{id}/notices/preview</c> renders it, never sent and never stored. A GET form: a preview
/// changes nothing, and its address can be shared.
/// </summary>
public sealed class TemplatesModel(NotifierDb db, NoticePreview preview, ILogger<TemplatesModel> log) : PageModel
{
    /// <summary>The case: its reference (<c>NR-000123</c>) or id.</summary>
    public string? CaseText { get; private set; }
    public string Kind { get; private set; } = nameof(NoticeKind.FirstNotice);

    /// <summary><c>en</c>, <c>de</c>, or null: the contact's language as the notice job would choose it.</summary>
    public string? Language { get; private set; }

    /// <summary>An address on the case's contact list; null: whoever that kind goes to (see <see cref="NoticePreview"/>).</summary>
    public string? Contact { get; private set; }

    /// <summary>The case asked for, once found.</summary>
    public Case? Case { get; private set; }
    public IReadOnlyList<string> Contacts { get; private set; } = [];
    public NoticePreviewDto? Preview { get; private set; }
    public string? Error { get; private set; }

    public static IReadOnlyList<string> Kinds { get; } = Enum.GetNames<NoticeKind>();

    public async Task OnGetAsync(string? @case, string? kind, string? lang, string? contact, CancellationToken ct)
    {
        CaseText = @case?.Trim();
        Contact = string.IsNullOrWhiteSpace(contact) ? null : contact.Trim();
        Language = string.IsNullOrEmpty(lang) ? null : lang;
        if (kind is not null) Kind = kind;
        // Nothing asked yet: the empty form.
        if (string.IsNullOrEmpty(CaseText)) return;

        if (CaseReference.Parse(CaseText) is not { } caseId)
        {
            Error = $"case: \"{CaseText}\" is not a case reference (NR-000123) or id.";
            return;
        }
        Case = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.Id == caseId, ct);
        if (Case is null)
        {
            Error = $"case: there is no case {CaseReference.Format(caseId)}.";
            return;
        }
        Contacts = await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == caseId)
            .OrderBy(x => x.Rank == null).ThenBy(x => x.Rank).ThenBy(x => x.Address).Select(x => x.Address).ToListAsync(ct);
        if (!NoticeKindName.TryParse(Kind, out var parsed))
        {
            Error = $"kind: \"{Kind}\" is no notice kind; one of {string.Join(", ", Kinds)}.";
            return;
        }
        Kind = parsed.ToString();
        if (Language is not (null or NoticeLanguage.English or NoticeLanguage.German))
        {
            Error = $"language: \"{Language}\" has no templates; {NoticeLanguage.English} or {NoticeLanguage.German}.";
            return;
        }
        try
        {
            var (rendered, error) = await preview.RenderAsync(caseId, parsed, Language, Contact, ct);
            Preview = rendered;
            if (error is not null) Error = $"contact: {error}";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // As on the case page: a template or data problem is shown to the operator who asked, with its cause.
            log.LogError(e, "A {Kind} preview for case {CaseId} could not be rendered", parsed, caseId);
            Error = $"Could not be rendered: {e.GetType().Name}: {e.Message}";
        }
    }
}
