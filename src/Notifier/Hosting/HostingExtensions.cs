using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Console;
using Notifier.Inbox;
using Notifier.Notices;

namespace Notifier.Hosting;

public static class HostingExtensions
{
    /// <summary>Problem details for every error, OpenAPI, health checks, antiforgery and data protection keys.</summary>
    public static IHostApplicationBuilder AddHosting(this IHostApplicationBuilder builder)
    {
        builder.Configuration.AddNotifierEnvironment();
        // Under systemd (deploy/notifier.service, Type=notify): READY=1 once listening, STOPPING=1 on SIGTERM, and the
        // journal's log format. Elsewhere it does nothing.
        builder.Services.AddSystemd();
        // AddSystemd picks the journal's console format; an explicit Logging:Console:FormatterName (json) still wins.
        if (builder.Configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = formatter);
        builder.Services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddProblemDetails();
        builder.Services.AddOptions<ProxyOptions>()
            .BindConfiguration(ProxyOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddApiReference();
        // Degraded, not Unhealthy: without the inbox or the smarthost the dashboard, the API and probing still work,
        // so a load balancer keeps the node; the status and the description tell the admin what is missing.
        builder.Services.AddHealthChecks()
            .AddCheck<ImapLoginHealthCheck>("imap", HealthStatus.Degraded, [HealthTags.External], HealthTags.ExternalTimeout)
            .AddCheck<SmarthostHealthCheck>("smarthost", HealthStatus.Degraded, [HealthTags.External], HealthTags.ExternalTimeout)
            .AddCheck<DkimRecordHealthCheck>("dkim", HealthStatus.Degraded, [HealthTags.External], HealthTags.ExternalTimeout);
        builder.Services.AddAntiforgery();
        // Sign-in cookies and antiforgery tokens must survive a restart: keep the keys beside the database.
        builder.Services.AddDataProtection()
            .SetApplicationName("Notifier")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.GetFullPath(builder.Configuration["DataProtection:KeysDirectory"] ?? "data/keys", Environment.CurrentDirectory)));
        return builder;
    }

    public static WebApplication UseHosting(this WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ProxyOptions>>().Value;
        if (proxy.Any)
        {
            // Behind a TLS proxy: the client's address and scheme as the proxy saw them, so the sign-in limit is per
            // client and the cookie is Secure (CookieSecurePolicy.SameAsRequest). Only listed proxies are believed:
            // the framework's default (loopback) is cleared, so a setting of 10.0.0.0/8 does not also trust this host.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var address in proxy.Addresses()) forwarded.KnownProxies.Add(address);
            foreach (var network in proxy.Networks()) forwarded.KnownIPNetworks.Add(network);
            app.UseForwardedHeaders(forwarded);
        }
        if (proxy.Any || ServesHttps(app.Configuration))
        {
            // HSTS (RFC 6797) only where https is how the service is reached: behind the TLS proxy (its
            // X-Forwarded-Proto makes the request https) or with an https endpoint of Kestrel's own. The header is sent
            // on https responses only, and never for localhost (HstsOptions.ExcludedHosts), so a first start on
            // http://localhost is not pinned to https for a year.
            app.UseHsts();
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
                // PostgreSQL unreachable or not taking work for now (restarting, failing over, out of connections, a lock
                // timeout): Npgsql marks those transient; nothing was stored, try again.
                Npgsql.NpgsqlException { IsTransient: true } => StatusCodes.Status503ServiceUnavailable,
                Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: Npgsql.NpgsqlException { IsTransient: true } } => StatusCodes.Status503ServiceUnavailable,
                // EF's default execution strategy reports a transient failure it does not retry as this wrapper.
                InvalidOperationException { InnerException: Npgsql.NpgsqlException { IsTransient: true } } => StatusCodes.Status503ServiceUnavailable,
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
        app.MapApiReference();
        // Live: the process answers (a supervisor restarts it otherwise); no dependency is asked, so an outage of the
        // database or the smarthost never gets a healthy process killed.
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
        // Ready: every check, including those that connect to another server (IMAP login, smarthost, DKIM record).
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { ResponseWriter = WriteHealthAsync });
        // The service's own state only (database, job server, how the inbox polls went), as /healthz always answered:
        // cheap enough for a monitor polling every few seconds.
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = r => !r.Tags.Contains(HealthTags.External), ResponseWriter = WriteHealthAsync });
        return app;
    }

    /// <summary>Whether Kestrel itself listens with TLS: an https URL in Urls or in a Kestrel:Endpoints entry.</summary>
    private static bool ServesHttps(IConfiguration configuration) =>
        (configuration["urls"] ?? "").Split(';').Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""))
            .Any(u => u.Trim().StartsWith("https://", StringComparison.OrdinalIgnoreCase));

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
