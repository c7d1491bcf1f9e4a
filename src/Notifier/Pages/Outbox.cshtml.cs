using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages;

/// <summary>
/// The notices on their way and gone, newest first: where an operator sees an approved notice queued, then sent
/// (the smarthost's reply, or the .eml file written to the outbox directory), failed or refused. Notices still awaiting
/// approval are the queue's business and shown here only when asked for by state.
/// </summary>
public sealed class OutboxModel(NotifierDb db) : PageModel
{
    public const int PageSize = 50;

    /// <summary>The states the outbox shows unless one is asked for: everything past approval.</summary>
    public static IReadOnlyList<string> OutboxStates { get; } = NoticeState.All.Where(s => s != NoticeState.AwaitingApproval).ToList();

    /// <summary>The notice state the list is filtered to (one of <see cref="NoticeState.All"/>); null: every state past approval. A filter, not a notice's state.</summary>
    public string? ShownState { get; private set; }
    public long? Before { get; private set; }
    public IReadOnlyList<Notice> Notices { get; private set; } = [];
    public long? NextBefore { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? state, long? before, CancellationToken ct)
    {
        Before = before;
        if (!string.IsNullOrEmpty(state))
        {
            if (!NoticeState.All.Contains(state))
            {
                Error = $"state: \"{state}\" is no notice state; one of {string.Join(", ", NoticeState.All)}.";
                return;
            }
            ShownState = state;
        }
        var q = db.Notices.AsNoTracking();
        q = ShownState is null ? q.Where(n => n.State != NoticeState.AwaitingApproval) : q.Where(n => n.State == ShownState);
        if (before is { } b) q = q.Where(n => n.Id < b);
        var rows = await q.OrderByDescending(n => n.Id).Take(PageSize + 1).ToListAsync(ct);
        NextBefore = rows.Count > PageSize ? rows[PageSize - 1].Id : null;
        Notices = rows.Take(PageSize).ToList();
    }
}
