using System.ComponentModel.DataAnnotations;

namespace Notifier.Telemetry;

/// <summary>
/// The <c>Telemetry</c> section. Nothing is exported unless configured here: the service never sends traffic an
/// admin did not ask for. <c>/metrics</c> on the service's own port always needs an API key.
/// </summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    /// <summary>
    /// An OpenTelemetry collector (OTLP), such as <c>http://127.0.0.1:4317</c>: metrics and traces are pushed there.
    /// Empty: no OTLP export.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (port 4317 by convention) or <c>http/protobuf</c> (port 4318), as the OTLP specification names them.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// A port on 127.0.0.1 where Prometheus scrapes <c>/metrics</c> without an API key (a scraper on the same host,
    /// or behind an SSH tunnel). Empty: only the API-key protected <c>/metrics</c> of the service's port.
    /// </summary>
    [Range(1, 65535)]
    public int? MetricsPort { get; set; }

    /// <summary>How long the count of cases by state is reused between scrapes (one GROUP BY over the cases table).</summary>
    public TimeSpan CaseCountsCacheFor { get; set; } = TimeSpan.FromSeconds(30);

    public Uri? OtlpUri() => string.IsNullOrWhiteSpace(OtlpEndpoint) ? null : new Uri(OtlpEndpoint, UriKind.Absolute);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint)
            && (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            yield return new ValidationResult($"Telemetry:OtlpEndpoint: \"{OtlpEndpoint}\" is not an absolute http(s) URL", [nameof(OtlpEndpoint)]);
        if (OtlpProtocol is not ("grpc" or "http/protobuf"))
            yield return new ValidationResult($"Telemetry:OtlpProtocol: \"{OtlpProtocol}\" is neither grpc nor http/protobuf", [nameof(OtlpProtocol)]);
        if (CaseCountsCacheFor < TimeSpan.Zero)
            yield return new ValidationResult("Telemetry:CaseCountsCacheFor must not be negative", [nameof(CaseCountsCacheFor)]);
    }
}
