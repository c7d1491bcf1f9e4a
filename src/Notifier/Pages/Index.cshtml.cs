using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages;

public sealed class IndexModel(NotifierDb db) : PageModel
{
    public const int PageSize = CasePaging.DefaultPageSize;

    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    /// <summary>The page number as typed: a number that does not bind (<c>p=abc</c>, <c>p=1e9</c>) is an error, not page 1.</summary>
    [BindProperty(SupportsGet = true, Name = "p")] public string? PageText { get; set; }

    public int PageNumber { get; private set; } = 1;
    public string? Error { get; private set; }

    public IReadOnlyList<CaseSummaryDto> Cases { get; private set; } = [];
    public int Total { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (CasePaging.ReadPage(PageText, out var number) is { } error)
        {
            Error = $"p: {error}";
            return new PageResult { StatusCode = StatusCodes.Status400BadRequest };
        }
        PageNumber = number;
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
            .Skip(CasePaging.Offset(PageNumber, PageSize)).Take(PageSize)
            .Select(c => new { Case = c, Last = c.Probes.Where(p => p.Verdict != null).OrderByDescending(p => p.Id).Select(p => p.Verdict).FirstOrDefault() })
            .ToListAsync(ct);
        Cases = rows.Select(r => CaseSummaryDto.From(r.Case, r.Last)).ToList();
        return Page();
    }
}
