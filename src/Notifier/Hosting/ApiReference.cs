using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Notifier.Auth;
using Scalar.AspNetCore;

namespace Notifier.Hosting;

/// <summary>
/// The OpenAPI document of the API (<c>/openapi/v1.json</c>, committed as docs/openapi.json so feeds can generate
/// clients) and Scalar's viewer of it at <c>/scalar</c> for signed-in admins. The API key is declared as what it is on
/// the wire: <c>Authorization: Bearer &lt;key&gt;</c> (RFC 6750 section 2.1), on every operation that takes one.
/// </summary>
public static class ApiReference
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ViewerPath = "/scalar";
    public const string BearerScheme = "Bearer";

    /// <summary>The authorization policies an API key satisfies; operations under them carry the Bearer requirement.</summary>
    private static readonly HashSet<string> KeyPolicies = [AuthExtensions.ApiRead, AuthExtensions.ApiWrite, AuthExtensions.ApiReadOrOperator];

    public static IServiceCollection AddApiReference(this IServiceCollection services) => services.AddOpenApi(o =>
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (`apikey create <name> --scope read|write`) as `Authorization: Bearer <key>`. " +
                    "A read key reads; a write key also changes cases, contacts and notices.",
            };
            // The servers entry would be the address this document happened to be fetched from: leave it out, so the
            // committed document is the same on every machine and clients use the host they call.
            document.Servers = [];
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy);
            if (policies.Any(p => p is not null && KeyPolicies.Contains(p)))
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [] }];
            }
            return Task.CompletedTask;
        });
    });

    /// <summary>
    /// The Content-Security-Policy of the viewer's page, when this response is it: the dashboard's policy plus the
    /// page's script nonce (CSP level 3 'nonce-…'), and inline styles, which Scalar's components set at run time
    /// (styles cannot run script). Null for every other response.
    /// </summary>
    public static string? ViewerContentSecurityPolicy(HttpContext context) =>
        context.Items.TryGetValue(ScalarOptions.NonceHttpContextItemKey, out var value) && value is string { Length: > 0 } nonce
            ? SecurityHeaders.ContentSecurityPolicy
                .Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal)
                .Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", StringComparison.Ordinal)
            : null;

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        // The document is anonymous on purpose: it is the same text as docs/openapi.json in the repository (no
        // data, no address of this desk), and a feed's client generator fetches it before it has a key. The viewer,
        // which can send requests, is for signed-in admins.
        app.MapOpenApi();
        // Scalar serves its script from the package (/scalar/scalar.js), never a CDN; the fonts it would fetch from
        // its own site and the usage telemetry of its test-request client stay off. Its one inline script carries a
        // fresh nonce that SecurityHeaders adds to the page's Content-Security-Policy.
        app.MapScalarApiReference(ViewerPath, o => o
                .WithTitle("Notifier API")
                .WithOpenApiRoutePattern(DocumentPath)
                .AddPreferredSecuritySchemes(BearerScheme)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .WithNonce())
            .RequireAuthorization(AuthExtensions.Admin)
            .ExcludeFromDescription();
        return app;
    }
}
