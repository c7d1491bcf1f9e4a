using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// One opening of an owner page: the live link, its case and its contact, read without tracking. Everything an
/// owner page shows comes from here, so a page can show nothing about other cases or other contacts.
/// </summary>
/// <param name="Token">The token as it came in the URL (only ever used to build this visitor's own links).</param>
/// <param name="Language">The page's language (<see cref="OwnerCulture"/> chose it for this request).</param>
public sealed record OwnerVisit(string Token, OwnerLink Link, Case Case, CaseContact Contact, string Language)
{
    /// <summary>The visit, or null when the token is not a live link (the check says why).</summary>
    public static async Task<(OwnerLinkCheck Check, OwnerVisit? Visit)> OpenAsync(NotifierDb db, OwnerLinks links, string? token, DateTimeOffset now, CancellationToken ct)
    {
        var check = await links.CheckAsync(token, now, ct);
        if (!check.IsValid) return (check, null);
        var link = check.Link!;
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == link.CaseId, ct);
        var contact = await db.CaseContacts.AsNoTracking().SingleAsync(x => x.Id == link.CaseContactId, ct);
        return (check, new OwnerVisit(token!, link, c, contact, OwnerCulture.Current));
    }

    /// <summary>This visitor's page, or one of its sub-pages (<c>retest</c>, <c>not-ours</c>, …).</summary>
    public string Url(string? sub = null) => sub is null ? $"/r/{Token}" : $"/r/{Token}/{sub}";
}
