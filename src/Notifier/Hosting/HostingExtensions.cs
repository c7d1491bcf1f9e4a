using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notifier.Hosting;

public static class HostingExtensions
{
    /// <summary>Problem details for every error, OpenAPI, health checks, antiforgery and data protection keys.</summary>
    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddNotifierEnvironment();
        builder.Services.AddProblemDetails();
        builder.Services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOpenApi();
        builder.Services.AddHealthChecks();
        builder.Services.AddAntiforgery();
        // Sign-in cookies and antiforgery tokens must survive a restart: keep the keys beside the database.
        builder.Services.AddDataProtection()
            .SetApplicationName("Notifier")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(builder.Configuration["DataProtection:KeysDirectory"] ?? "data/keys", Environment.CurrentDirectory)));
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        var proxies = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProxyOptions>>().Value.Addresses();
        if (proxies.Count > 0)
        {
            // Behind a TLS proxy: the client's address and scheme as the proxy saw them, so the sign-in limit is per
            // client and the cookie is Secure (CookieSecurePolicy.SameAsRequest). Only listed proxies are believed.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            foreach (var proxy in proxies) forwarded.KnownProxies.Add(proxy);
            app.UseForwardedHeaders(forwarded);
        }
        app.UseSecurityHeaders();
        // Unreadable request bodies (malformed JSON, wrong types) are the client's fault: 400, as problem details.
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = e => e switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                // The database stayed locked past the busy timeout: nothing was stored, try again (503, not a defect).
                Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } => StatusCodes.Status503ServiceUnavailable,
                Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } } => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            },
        });
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }

    public static IEndpointRouteBuilder MapHosting(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        return app;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }, JsonSerializerOptions.Web));
    }
}
