using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Inbox;

namespace Notifier.Pages;

/// <summary>
/// Inbound mail the inbox placed on no case (unknown mail, and bounces, auto-replies or complaints it could not thread),
/// newest first, by class; each opens on <c>/inbox/{id}</c> to be read and filed onto a case.
/// </summary>
public sealed class InboxModel(NotifierDb db) : PageModel
{
    public const int PageSize = 50;

    /// <summary>One of <see cref="InboundClass.All"/>; null: every class.</summary>
    public string? Class { get; private set; }

    /// <summary>Keyset paging: only messages older than (with an id below) this one.</summary>
    public long? Before { get; private set; }
    public IReadOnlyList<InboundMessage> Messages { get; private set; } = [];

    /// <summary>The id to continue from for the next (older) page; null on the last page.</summary>
    public long? NextBefore { get; private set; }
    public string? Error { get; private set; }

    public async Task OnGetAsync(string? @class, long? before, CancellationToken ct)
    {
        Before = before;
        if (!string.IsNullOrEmpty(@class))
        {
            if (!InboundClass.All.Contains(@class))
            {
                Error = $"class: \"{@class}\" is no class of inbound mail; one of {string.Join(", ", InboundClass.All)}.";
                return;
            }
            Class = @class;
        }
        var q = db.InboundMessages.AsNoTracking().Where(m => m.CaseId == null);
        if (Class is not null) q = q.Where(m => m.Class == Class);
        if (before is { } b) q = q.Where(m => m.Id < b);
        // The raw bytes stay in the database: the list needs only the header fields.
        var rows = await q.OrderByDescending(m => m.Id).Take(PageSize + 1).Select(m => new InboundMessage
        {
            Id = m.Id,
            Folder = m.Folder,
            Sha256 = m.Sha256,
            Headers = "",
            Raw = Array.Empty<byte>(),
            Class = m.Class,
            From = m.From,
            FromAddress = m.FromAddress,
            Subject = m.Subject,
            Date = m.Date,
            FetchedAt = m.FetchedAt,
            Rule = m.Rule,
        }).ToListAsync(ct);
        NextBefore = rows.Count > PageSize ? rows[PageSize - 1].Id : null;
        Messages = rows.Take(PageSize).ToList();
    }
}
