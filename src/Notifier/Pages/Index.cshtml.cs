using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
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
        // The queue: open cases unless a known state is picked; an unknown one shows the open cases.
        var query = new CaseListQuery
        {
            InState = State is not null && CaseState.All.Contains(State) ? State : null,
            OpenWhenNoState = true,
            Search = Q,
            SearchNotes = false,
            Order = CaseListOrder.AttentionThenRecentlyChanged,
        };
        (Cases, Total) = await CaseQueries.ListAsync(db, query, PageNumber, PageSize, ct);
        return Page();
    }
}
