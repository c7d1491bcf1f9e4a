using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notifier.Auth;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Notifier.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>
    /// Meters the framework publishes itself since .NET 8/9, so no instrumentation package is needed for them:
    /// ASP.NET Core (requests, Kestrel connections, rate limiting), HttpClient (RDAP), DNS resolution and the
    /// runtime (GC, thread pool). Not MailKit's (MailKit.Telemetry): with it configured, MailKit 4.18.2 throws a
    /// NullReferenceException from ClientMetrics.GetTags when a client whose connection failed is disposed, which
    /// would turn an unreachable smarthost or IMAP server into a crash instead of a deferral.
    /// </summary>
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http", "System.Net.NameResolution", "System.Runtime",
    ];

    /// <summary>The ActivitySources of the same parts; ASP.NET Core and HttpClient tag their spans natively on .NET 10.</summary>
    private static readonly string[] FrameworkSources = ["Microsoft.AspNetCore", "System.Net.Http"];

    private static readonly Lock FilterLock = new();

    /// <summary>
    /// The Notifier meter for the whole process (also for the CLI's service collections, hence TryAdd), and
    /// OpenTelemetry: metrics always (read by the /metrics scrape), OTLP for metrics and traces only when
    /// <c>Telemetry:OtlpEndpoint</c> is set.
    /// </summary>
    public static IServiceCollection AddNotifierMetrics(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<NotifierMetrics>();
        return services;
    }

    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddNotifierMetrics();
        // Registering is read before the options exist as a service (the exporters are chosen now); the same binding
        // is validated at start above, so a bad value stops the service either way.
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
        void Otlp(OtlpExporterOptions o)
        {
            o.Endpoint = otlp!;
            o.Protocol = options.OtlpProtocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("notifier", serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddMeter(NotifierMetrics.MeterName).AddMeter(FrameworkMeters);
                m.AddPrometheusExporter();
                if (options.MetricsPort is { } port and > 0 and <= 65535)
                {
                    // A scrape port of its own on loopback only (HttpListener, not a second Kestrel endpoint, which
                    // would replace the service's configured Urls).
                    m.AddPrometheusHttpListener(o =>
                    {
                        o.Host = "127.0.0.1";
                        o.Port = port;
                    });
                }
                if (otlp is not null) m.AddOtlpExporter(Otlp);
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(t => t.AddSource(NotifierActivity.SourceName).AddSource(FrameworkSources).AddOtlpExporter(Otlp));
        }
        // Hangfire's server reads its filters from the process-wide collection; added once, whatever the number of hosts.
        lock (FilterLock)
        {
            if (!GlobalJobFilters.Filters.Any(f => f.Instance is JobActivityFilter)) GlobalJobFilters.Filters.Add(new JobActivityFilter());
        }
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> in the Prometheus text format for an API key (Prometheus sends it as
    /// <c>Authorization: Bearer &lt;key&gt;</c>, its <c>authorization</c> scrape setting): never anonymous on the public port.
    /// </summary>
    public static IEndpointRouteBuilder MapTelemetry(this IEndpointRouteBuilder app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(AuthExtensions.ApiRead);
        return app;
    }
}
