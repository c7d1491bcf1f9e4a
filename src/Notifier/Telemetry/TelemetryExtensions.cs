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
    /// runtime (GC, thread pool).
    /// </summary>
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.RateLimiting",
        "System.Net.Http", "System.Net.NameResolution", "System.Runtime",
    ];

    /// <summary>The ActivitySources of the same parts; ASP.NET Core and HttpClient tag their spans natively on .NET 10.</summary>
    private static readonly string[] FrameworkSources = ["Microsoft.AspNetCore", "System.Net.Http"];

    /// <summary>
    /// MailKit's meters (MailKit.Telemetry) for the smarthost and the inbox: connects, and each SMTP/IMAP operation
    /// with its duration. The probes speak SMTP on their own sockets (Probing/SmtpSession.cs), so the
    /// <c>server.address</c> tag these carry names only the desk's own servers, never a probed relay.
    /// </summary>
    private static readonly string[] MailKitMeters = [MailKit.Telemetry.Socket.MeterName, MailKit.Telemetry.SmtpClient.MeterName, MailKit.Telemetry.ImapClient.MeterName];

    private static readonly string[] MailKitSources = [MailKit.Telemetry.SmtpClient.ActivitySourceName, MailKit.Telemetry.ImapClient.ActivitySourceName];

    /// <summary>
    /// Instruments never enabled: MailKit 4.18.2 records <c>*.client.connection.duration</c> when a client is disposed
    /// or its connect fails, with the client's URI, which is null while no connection was made (ImapEngine.Dispose
    /// calls Disconnect(null), RecordClientDisconnected passes <c>Uri!</c>, ClientMetrics.GetTags reads
    /// <c>uri.Scheme</c>). With a listener on that histogram, disposing an ImapClient whose connect failed throws
    /// NullReferenceException, so an unreachable IMAP server became a crash instead of a deferral. A view that drops
    /// the instrument leaves it disabled (<c>Histogram.Enabled</c> false), and MailKit then skips the recording.
    /// </summary>
    private static readonly string[] MailKitDropped =
        [MailKit.Telemetry.SmtpClient.MeterName + ".client.connection.duration", MailKit.Telemetry.ImapClient.MeterName + ".client.connection.duration"];

    /// <summary>
    /// Tag combinations kept per metric stream. The SDK allocates a stream's points up front, for its limit: at the
    /// default 2,000 the service's 58 streams held 8 MB of MetricPoint arrays plus 2 MB of lookups for its whole life
    /// (issue 17), where the most varied one, <c>http.server.request.duration</c>, has a combination per route, method
    /// and status code used (some 55 routes and pages, mostly one method and a few codes each); the domain's have a
    /// handful (verdicts, states). Measurements beyond the limit are still counted, under the
    /// <c>otel.metric.overflow</c> tag.
    /// </summary>
    internal const int CardinalityLimit = 500;

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
        var http = options.OtlpProtocol == "http/protobuf";
        // An endpoint set in code is used as it is. Over gRPC that is right (the request's path is the signal's service); over
        // HTTP/protobuf each signal has its own path on the collector's base URL (/v1/traces, /v1/metrics,
        // https://opentelemetry.io/docs/specs/otlp/#otlphttp-request), which the SDK appends only to an endpoint read
        // from OTEL_EXPORTER_OTLP_ENDPOINT; without it both signals went to "/" and a collector answered 404.
        Action<OtlpExporterOptions> Otlp(string signalPath) => o =>
        {
            o.Endpoint = http ? new Uri(otlp!.GetLeftPart(UriPartial.Path).TrimEnd('/') + signalPath) : otlp!;
            o.Protocol = http ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        };

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("notifier", serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(m =>
            {
                m.AddMeter(NotifierMetrics.MeterName).AddMeter(FrameworkMeters).AddMeter(MailKitMeters);
                // One view for every instrument (two matching views would make two streams of one instrument).
                m.AddView(instrument => MailKitDropped.Contains(instrument.Name, StringComparer.OrdinalIgnoreCase)
                    ? MetricStreamConfiguration.Drop
                    : new MetricStreamConfiguration { CardinalityLimit = CardinalityLimit });
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
                if (otlp is not null) m.AddOtlpExporter(Otlp("/v1/metrics"));
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(t => t.AddSource(NotifierActivity.SourceName).AddSource(FrameworkSources).AddSource(MailKitSources).AddOtlpExporter(Otlp("/v1/traces")));
        }
        // Process-wide, as MailKit keeps it (a static Meter): a meter from this host's IMeterFactory would be disposed
        // with the host while clients of a later one still record into it. Configure keeps the first one.
        MailKit.Telemetry.Socket.Configure();
        MailKit.Telemetry.SmtpClient.Configure();
        MailKit.Telemetry.ImapClient.Configure();
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
