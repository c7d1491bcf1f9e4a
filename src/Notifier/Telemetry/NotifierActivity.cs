using System.Diagnostics;

namespace Notifier.Telemetry;

/// <summary>
/// The <c>Notifier</c> ActivitySource: a span per background job (<see cref="JobActivityFilter"/>), under which
/// the job's HTTP (RDAP), SMTP (MailKit) and database work nests. Spans exist only while a listener (the OTLP
/// trace exporter) is attached; without one StartActivity returns null and costs nothing.
/// </summary>
public static class NotifierActivity
{
    public const string SourceName = "Notifier";

    public static readonly ActivitySource Source = new(SourceName);
}
