using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Notifier.Cases;
using Notifier.Contacts;

namespace Notifier.Pages;

/// <summary>
/// Addresses and domains never notified: the list with a search, adding and removing, through <see cref="SuppressionList"/>
/// as <c>/api/suppressions</c> does. Changes are POSTs answered with a redirect.
/// </summary>
public sealed class SuppressionsModel(SuppressionList suppressions) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }

    /// <summary>A mail address, or a domain (which covers its subdomains).</summary>
    [BindProperty] public string? Value { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public IReadOnlyList<Suppression> Suppressions { get; private set; } = [];
    public string? Error { get; private set; }
    [TempData] public string? Message { get; set; }

    public async Task OnGetAsync(CancellationToken ct) => Suppressions = await suppressions.ListAsync(Q, ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var added = await suppressions.AddAsync(Value, Reason, DeskUser.Actor(User), ct);
        if (added.Error is not null || added.Existing is not null)
        {
            Error = added.Error?.ToString()
                ?? $"value: {added.Existing!.Value} is suppressed already (by {added.Existing.AddedBy}: {added.Existing.Reason})";
            await OnGetAsync(ct);
            return Page();
        }
        Message = $"{added.Added!.Value} is suppressed: it is never notified.";
        return RedirectToPage(new { Q });
    }

    public async Task<IActionResult> OnPostRemoveAsync(int id, CancellationToken ct)
    {
        if (!await suppressions.RemoveAsync(id, ct))
        {
            Error = $"There is no suppression {id} (removed already?).";
            await OnGetAsync(ct);
            return Page();
        }
        Message = $"Suppression {id} removed.";
        return RedirectToPage(new { Q });
    }

    public static bool IsDomain(Suppression s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return !s.Value.Contains('@', StringComparison.Ordinal);
    }
}
