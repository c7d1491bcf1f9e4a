using Microsoft.AspNetCore.Mvc;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// <c>/r/&lt;token&gt;/unsubscribe</c>, the https URL in our notices' <c>List-Unsubscribe</c>. A POST with the body
/// <c>List-Unsubscribe=One-Click</c> is RFC 8058's one-click unsubscribe, sent by the recipient's mail provider when
/// they press its unsubscribe button: it suppresses the address the token was made for, exactly as the opt-out page
/// does (<see cref="OwnerActions.OptOutAsync"/>), and answers 200 with a short text. A GET is a person who opened the
/// URL: they get the opt-out form.
/// </summary>
/// <remarks>
/// No antiforgery token: the provider posts without our cookies or form (RFC 8058 §3.2), so one could never be
/// checked. Nothing is lost by it: a forged cross-site POST would need the 256-bit token in the URL, and all it can do
/// is what the token's owner may do anyway, stop mail to their own address. Which tokens it accepts:
/// <see cref="OwnerActions.OneClickLinkAsync"/>.
/// </remarks>
[IgnoreAntiforgeryToken]
public sealed class OptOutOneClickModel(NotifierDb db, OwnerLinks links, OwnerActions actions, TimeProvider time) : OwnerPageModel(db, links, time)
{
    /// <summary>The one body RFC 8058 §3.1 defines: the key List-Unsubscribe with the value One-Click.</summary>
    public const string Key = "List-Unsubscribe";

    public const string Value = "One-Click";

    public const string How = "by RFC 8058 one-click (the unsubscribe button of their mail program)";

    public bool OptedOut { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        if (await OpenAsync(token, ct)) OptedOut = await actions.IsOptedOutAsync(Visit!.Link, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        // application/x-www-form-urlencoded or multipart/form-data (RFC 8058 §3.1 allows both); anything else is not one-click.
        if (!Request.HasFormContentType) return Text(StatusCodes.Status400BadRequest, $"Expected a form body {Key}={Value} (RFC 8058).");
        var form = await Request.ReadFormAsync(ct);
        if (form.Count != 1 || !string.Equals(form[Key], Value, StringComparison.Ordinal))
            return Text(StatusCodes.Status400BadRequest, $"Expected the body {Key}={Value} (RFC 8058), nothing else.");
        var (link, status) = await actions.OneClickLinkAsync(token, ct);
        if (link is null)
        {
            return status == OwnerLinkStatus.Unknown
                ? Text(StatusCodes.Status404NotFound, "Unknown link.")
                : Text(StatusCodes.Status410Gone, "This link was withdrawn by the abuse desk. Reply to our notice to be removed.");
        }
        var result = await actions.OptOutAsync(link, How, "unsubscribed with one click", ct);
        return result.Outcome switch
        {
            OwnerActionOutcome.Done or OwnerActionOutcome.AlreadyDone => Text(StatusCodes.Status200OK, "Unsubscribed: this address gets no more mail from us."),
            OwnerActionOutcome.CaseChanged => Text(StatusCodes.Status503ServiceUnavailable, "Busy; please try again."),
            _ => Text(StatusCodes.Status400BadRequest, $"{result.Error!.Field} {result.Error.Message}"),
        };
    }

    private static ContentResult Text(int status, string text) => new() { StatusCode = status, Content = text + "\n", ContentType = "text/plain; charset=utf-8" };
}
