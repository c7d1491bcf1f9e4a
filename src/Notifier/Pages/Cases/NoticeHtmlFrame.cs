using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Pages.Cases;

/// <summary>
/// The HTML part of a notice (or of a preview) as the case page frames it, from a URL of its own. A notice's markup
/// carries inline style (templates/NoticeLayout.razor: mail clients drop linked stylesheets), which the dashboard's
/// Content-Security-Policy forbids; a <c>srcdoc</c> frame inherits that policy (CSP3, "policy container" of
/// about:srcdoc), so the operator saw the notice unstyled, not as the owner reads it, and the browser reported a
/// violation for each style. Served here it gets a policy of its own: inline style and data: images only, nothing
/// that runs, loads or submits, a sandbox, and only the dashboard itself may frame it. Both are pages of the dashboard
/// (cookie sign-in), not of the API a feed calls with its key: they stay out of the OpenAPI document.
/// </summary>
public static class NoticeHtmlFrame
{
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'";

    public static string NoticeUrl(int caseId, long noticeId) => $"/cases/{caseId}/notices/{noticeId}/html";

    public static string PreviewUrl(int caseId, string kind, string language) =>
        $"/cases/{caseId}/preview/html?kind={Uri.EscapeDataString(kind)}&lang={Uri.EscapeDataString(language)}";

    public static IEndpointRouteBuilder MapNoticeHtmlFrames(this IEndpointRouteBuilder app)
    {
        app.MapGet("/cases/{id:int}/notices/{notice:long}/html", async (int id, long notice, NotifierDb db, NoticePreview preview, HttpContext http, CancellationToken ct) =>
        {
            var row = await db.Notices.AsNoTracking().SingleOrDefaultAsync(n => n.Id == notice && n.CaseId == id, ct);
            if (row is null) return Results.NotFound();
            var (content, _) = await preview.RenderAsync(NoticeDto.From(row), ct);
            return Html(http, content.Html);
        }).RequireAuthorization(AuthExtensions.Viewer).ExcludeFromDescription();

        app.MapGet("/cases/{id:int}/preview/html", async (int id, string? kind, string? lang, NoticePreview preview, HttpContext http, CancellationToken ct) =>
        {
            // The case page checked both before it framed this URL; anything else is not one of its frames.
            if (!Enum.TryParse<NoticeKind>(kind, ignoreCase: false, out var parsed) || !Enum.IsDefined(parsed)) return Results.NotFound();
            if (lang is not (NoticeLanguage.English or NoticeLanguage.German)) return Results.NotFound();
            var (rendered, error) = await preview.RenderAsync(id, parsed, lang, null, ct);
            return rendered is null ? Results.NotFound(error) : Html(http, rendered.Html);
        }).RequireAuthorization(AuthExtensions.Viewer).ExcludeFromDescription();
        return app;
    }

    private static IResult Html(HttpContext http, string html)
    {
        // Replaces what UseSecurityHeaders set for every response (frame-ancestors 'none', DENY).
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XFrameOptions = "SAMEORIGIN";
        return Results.Content(html, "text/html; charset=utf-8");
    }
}
