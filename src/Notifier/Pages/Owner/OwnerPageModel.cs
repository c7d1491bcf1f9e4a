using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// The base of every owner page (<c>/r/&lt;token&gt;…</c>): anonymous (the token is the credential), opened through
/// <see cref="OpenAsync"/>. A token that is not a live link gets the "link not valid" page with 404 (unknown) or
/// 410 (expired or revoked) and how to reach the desk, and nothing about the case.
/// </summary>
public abstract class OwnerPageModel(NotifierDb db, OwnerLinks links, TimeProvider time) : PageModel
{
    protected NotifierDb Db => db;

    protected TimeProvider Time => time;

    public OwnerLinkCheck Check { get; private set; } = new(OwnerLinkStatus.Unknown, null);

    /// <summary>Null until opened, and when the link is not valid (the page then renders <c>_OwnerLinkNotValid</c>).</summary>
    public OwnerVisit? Visit { get; private set; }

    /// <summary>
    /// The token is in the URL, so on every owner page (valid or not, any handler) it must leak neither through the
    /// Referer of a link the owner follows (<c>Referrer-Policy: no-referrer</c>, W3C Referrer Policy, stricter than the
    /// dashboard's same-origin) nor through a shared or browser cache (<c>Cache-Control: no-store</c>, RFC 9111 §5.2.2.5).
    /// The dashboard's other security headers (Hosting/SecurityHeaders) stay as they are.
    /// </summary>
    public override void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        base.OnPageHandlerSelected(context);
    }

    /// <summary>Opens the visit; false (and the status code set) when the token is not a live link.</summary>
    protected async Task<bool> OpenAsync(string? token, CancellationToken ct)
    {
        (Check, Visit) = await OwnerVisit.OpenAsync(db, links, token, time.GetUtcNow(), ct);
        if (Visit is not null) return true;
        Response.StatusCode = Check.Status == OwnerLinkStatus.Unknown ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
        return false;
    }
}
