namespace Notifier.Hosting;

/// <summary>
/// Headers on every response that tell browsers to refuse what the dashboard never does: run inline or foreign
/// script (so an injected &lt;script&gt; or on* attribute does nothing; the pages keep scripts and styles in
/// wwwroot files), be framed by another site (clickjacking), sniff a type other than the one sent, or send our
/// URLs (case numbers) to other sites as the Referer.
/// </summary>
public static class SecurityHeaders
{
    // CSP level 3 (W3C); frame-ancestors supersedes X-Frame-Options, which is kept for older browsers.
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        // The API viewer's page carries an inline script with a nonce of its own (ApiReference): only that response
        // gets a policy that admits it.
        context.Response.OnStarting(() =>
        {
            if (ApiReference.ViewerContentSecurityPolicy(context) is { } viewer) context.Response.Headers.ContentSecurityPolicy = viewer;
            return Task.CompletedTask;
        });
        return next(context);
    });
}
