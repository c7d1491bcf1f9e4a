using Microsoft.AspNetCore.Routing;

namespace Notifier.Tests.Pages;

/// <summary>Who asks: nobody signed in, or a signed-in user of one role.</summary>
public enum Visitor { Anonymous, Viewer, Operator, Admin }

/// <summary>
/// The status a GET answers each visitor: 302 is the redirect to /login, 401 the API's "send an API key", 403 a
/// signed-in user without the role.
/// </summary>
public sealed record RouteAccess(string Name, int Anonymous, int Viewer, int Operator, int Admin)
{
    /// <summary>A dashboard page: any signed-in user reads it.</summary>
    public static readonly RouteAccess Page = new("page", 302, 200, 200, 200);

    /// <summary><c>[Authorize(Policy = AuthExtensions.Admin)]</c>.</summary>
    public static readonly RouteAccess AdminPage = new("admin page", 302, 403, 403, 200);

    /// <summary>Hangfire's dashboard: admins run commands, operators read, viewers are refused.</summary>
    public static readonly RouteAccess Jobs = new("jobs dashboard", 302, 403, 200, 200);

    /// <summary>No sign-in needed (health, the sign-in form, the OpenAPI document).</summary>
    public static readonly RouteAccess Public = new("public", 200, 200, 200, 200);

    /// <summary>The relay owner's pages: the token in the URL is the credential, a sign-in changes nothing.</summary>
    public static readonly RouteAccess OwnerPage = new("owner page", 200, 200, 200, 200);

    /// <summary>An API read endpoint for API keys only: the sign-in cookie does not count (the dashboard pages read the database themselves).</summary>
    public static readonly RouteAccess ApiKeyOnly = new("API (key only)", 401, 401, 401, 401);

    /// <summary><c>AuthExtensions.ApiReadOrOperator</c>: an API key, or any signed-in user's cookie.</summary>
    public static readonly RouteAccess ApiOrSignedIn = new("API (key or sign-in)", 401, 200, 200, 200);

    public int For(Visitor visitor) => visitor switch
    {
        Visitor.Anonymous => Anonymous,
        Visitor.Viewer => Viewer,
        Visitor.Operator => Operator,
        _ => Admin,
    };
}

/// <summary>One route that answers GET: its pattern as routing reports it, the URL to request, and who may read it.</summary>
/// <param name="Url">With <c>{case}</c>, <c>{notice}</c> and <c>{inbound}</c> for the seeded rows' ids, <c>{token}</c> for its owner link.</param>
public sealed record RouteExpectation(string Pattern, string Url, RouteAccess Access)
{
    public string UrlFor(DashboardSeed seed) => Url
        .Replace("{case}", seed.CaseId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{notice}", seed.NoticeId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{inbound}", seed.InboundId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{token}", seed.OwnerToken, StringComparison.Ordinal);
}

/// <summary>
/// Every route of the app that answers GET, classified. The crawl test fails when the app has a route this table
/// does not list (so a new page gets classified, and with it, decided who may see it) and when a row names no
/// route (so the table does not rot).
/// </summary>
public static class RouteTable
{
    public static readonly IReadOnlyList<RouteExpectation> Expected =
    [
        // The dashboard (Razor Pages).
        new("/", "/", RouteAccess.Page),
        new("/cases/{id:int}", "/cases/{case}", RouteAccess.Page),
        new("/cases/new", "/cases/new", RouteAccess.Page),
        new("/cases", "/cases", RouteAccess.Page),
        new("/cases/{id:int}/notices/{notice:long}/html", "/cases/{case}/notices/{notice}/html", RouteAccess.Page),
        new("/cases/{id:int}/preview/html", "/cases/{case}/preview/html?kind=FirstNotice&lang=en", RouteAccess.Page),
        new("/contacts/rules", "/contacts/rules", RouteAccess.Page),
        new("/suppressions", "/suppressions", RouteAccess.Page),
        new("/inbox", "/inbox", RouteAccess.Page),
        new("/inbox/{id:long}", "/inbox/{inbound}", RouteAccess.Page),
        new("/outbox", "/outbox", RouteAccess.Page),
        new("/templates", "/templates", RouteAccess.Page),
        new("/stats", "/stats", RouteAccess.Page),
        new("/logout", "/logout", RouteAccess.Page),
        new("/operators", "/operators", RouteAccess.AdminPage),
        new("/login", "/login", RouteAccess.Public),
        new("/hangfire/{**path}", "/hangfire", RouteAccess.Jobs),
        // The relay owner's pages (Pages/Owner).
        new("/r/{token}", "/r/{token}", RouteAccess.OwnerPage),
        new("/r/{token}/not-ours", "/r/{token}/not-ours", RouteAccess.OwnerPage),
        new("/r/{token}/opt-out", "/r/{token}/opt-out", RouteAccess.OwnerPage),
        new("/r/{token}/unsubscribe", "/r/{token}/unsubscribe", RouteAccess.OwnerPage),
        new("/r/{token}/note", "/r/{token}/note", RouteAccess.OwnerPage),
        new("/r/{token}/retest/{probeId:int?}", "/r/{token}/retest", RouteAccess.OwnerPage),
        new("/r/{token}/retest/progress", "/r/{token}/retest/progress", RouteAccess.OwnerPage),
        // Hosting.
        new("/healthz", "/healthz", RouteAccess.Public),
        new("/healthz/live", "/healthz/live", RouteAccess.Public),
        new("/healthz/ready", "/healthz/ready", RouteAccess.Public),
        // Telemetry: the Prometheus scrape, for an API key only (Prometheus sends it as Bearer).
        new("/metrics", "/metrics", RouteAccess.ApiKeyOnly),
        new("/openapi/{documentName}.json", "/openapi/v1.json", RouteAccess.Public),
        // Scalar's viewer of that document (Hosting/ApiReference) for admins; the files it serves from its package are
        // the same open-source script and icon for everyone and carry no data.
        new("/scalar/{documentName?}", "/scalar/", RouteAccess.AdminPage),
        new("/scalar/scalar.js", "/scalar/scalar.js", RouteAccess.Public),
        new("/scalar/scalar.aspnetcore.js", "/scalar/scalar.aspnetcore.js", RouteAccess.Public),
        new("/scalar/favicon.svg", "/scalar/favicon.svg", RouteAccess.Public),
        // The REST API.
        new("/api/stats", "/api/stats", RouteAccess.ApiOrSignedIn),
        new("/api/cases", "/api/cases", RouteAccess.ApiKeyOnly),
        new("/api/export/cases", "/api/export/cases", RouteAccess.ApiKeyOnly),
        new("/api/export/contacts", "/api/export/contacts", RouteAccess.ApiKeyOnly),
        new("/api/cases/{id:int}", "/api/cases/{case}", RouteAccess.ApiKeyOnly),
        new("/api/cases/{id:int}/notices/preview", "/api/cases/{case}/notices/preview", RouteAccess.ApiKeyOnly),
        new("/api/notices", "/api/notices", RouteAccess.ApiKeyOnly),
        new("/api/contacts/rules", "/api/contacts/rules", RouteAccess.ApiKeyOnly),
        new("/api/suppressions", "/api/suppressions", RouteAccess.ApiKeyOnly),
        new("/api/inbox/messages", "/api/inbox/messages", RouteAccess.ApiKeyOnly),
        new("/api/inbox/messages/{id:long}", "/api/inbox/messages/{inbound}", RouteAccess.ApiKeyOnly),
        new("/api/inbox/messages/{id:long}/raw", "/api/inbox/messages/{inbound}/raw", RouteAccess.ApiKeyOnly),
    ];

    /// <summary>The pattern of every endpoint that answers GET, from the app's own <see cref="EndpointDataSource"/>.</summary>
    public static IReadOnlySet<string> Discovered(IServiceProvider services) => services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not { } m || m.HttpMethods.Count == 0 || m.HttpMethods.Contains("GET"))
        .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/'))
        .ToHashSet(StringComparer.Ordinal);
}
