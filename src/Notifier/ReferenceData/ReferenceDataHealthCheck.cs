using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Notifier.ReferenceData;

/// <summary>
/// Degraded while the Public Suffix List in use is older than <c>ReferenceData:MaxAge</c> (a year): new suffixes
/// (and new registrable domains under them) are missing, so RFC 2142 contacts may go to the wrong domain. The
/// description says which copy and how to have it refreshed; Healthy again once a newer copy is in use.
/// </summary>
public sealed class ReferenceDataHealthCheck(PublicSuffixListRefresh psl, IOptions<ReferenceDataOptions> options, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var copy = psl.InUse;
        var data = new Dictionary<string, object>
        {
            ["publicSuffixList"] = copy.Origin,
            ["publicSuffixListPublished"] = copy.PublishedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
        var warning = copy.AgeWarning("Public Suffix List", time.GetUtcNow(), options.Value.MaxAge);
        return Task.FromResult(warning is null
            ? HealthCheckResult.Healthy($"the Public Suffix List in use ({copy.Origin}) is from {data["publicSuffixListPublished"]}", data)
            : new HealthCheckResult(context.Registration.FailureStatus, warning, data: data));
    }
}
