using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;

namespace Notifier.Pages;

/// <summary>
/// The queue (home page): what needs a person now, in the sections of <see cref="CaseQueueSection"/>, each with its
/// count, the cases waiting longest and a link to all of them in the case list. Read-only: viewers see the same.
/// </summary>
public sealed class IndexModel(NotifierDb db, TimeProvider time, IOptions<RetestOptions> retests) : PageModel
{
    public IReadOnlyList<CaseQueueView> Sections { get; private set; } = [];

    /// <summary>The classified intent of the latest reply of each case in the replies section (an operator may have changed it).</summary>
    public IReadOnlyDictionary<int, string> Intents { get; private set; } = new Dictionary<int, string>();

    public DateTimeOffset Now { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        Sections = await CaseQueueBoard.LoadAsync(db, retests.Value, Now, ct);
        var replied = Sections.Single(s => s.Section == CaseQueueSection.Replies).Rows.Select(r => (int?)r.Case.Id).ToList();
        if (replied.Count > 0)
        {
            // The intent lives with the inbound message (Inbox), so it is read here rather than in Cases; one query for the rows shown.
            var latest = await db.InboundMessages.AsNoTracking().Where(m => replied.Contains(m.CaseId) && m.Class == InboundClass.Reply)
                .GroupBy(m => m.CaseId).Select(g => g.Max(m => m.Id)).ToListAsync(ct);
            Intents = await db.InboundMessages.AsNoTracking().Where(m => latest.Contains(m.Id) && m.Intent != null)
                .ToDictionaryAsync(m => m.CaseId!.Value, m => m.Intent!, ct);
        }
        return Page();
    }

    /// <summary>The case list showing every case of <paramref name="section"/>.</summary>
    public static string SeeAll(CaseQueueSection section) =>
        "/cases" + QueryString.Create(CaseListFilter.SectionName, section.Id);
}
