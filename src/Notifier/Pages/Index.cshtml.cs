using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages;

public sealed class IndexModel(NotifierDb db) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<CaseSummaryDto> Cases { get; private set; } = [];
    public int Total { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (PageNumber < 1) PageNumber = 1;
        var query = db.Cases.AsNoTracking();
        query = State is not null && CaseState.All.Contains(State)
            ? query.Where(c => c.State == State)
            : query.Where(c => c.State != CaseState.Closed);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var text = Q.Trim();
            query = CaseReference.Find(text) is { } id
                ? query.Where(c => c.Id == id)
                : query.Where(c => c.Address.StartsWith(text) || (c.Source != null && c.Source.Contains(text)));
        }
        Total = await query.CountAsync(ct);
        var rows = await query
            .OrderByDescending(c => c.NeedsAttention).ThenByDescending(c => c.UpdatedAt)
            .Skip((PageNumber - 1) * PageSize).Take(PageSize)
            .Select(c => new { Case = c, Last = c.Probes.Where(p => p.Verdict != null).OrderByDescending(p => p.Id).Select(p => p.Verdict).FirstOrDefault() })
            .ToListAsync(ct);
        Cases = rows.Select(r => CaseSummaryDto.From(r.Case, r.Last)).ToList();
    }
}
