using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Notifier.Contacts.Rdap;

namespace Notifier.ReferenceData;

/// <summary>
/// Degraded while the Public Suffix List or the RDAP bootstrap in use is older than <c>ReferenceData:MaxAge</c> (a
/// year): with an old list new suffixes are missing, so RFC 2142 contacts may go to the wrong domain; with an old
/// bootstrap addresses handed to another registry are asked at the wrong one. The description says which copy and
/// how to have it refreshed; Healthy again once newer copies are in use.
/// </summary>
public sealed class ReferenceDataHealthCheck(PublicSuffixListRefresh psl, RdapBootstrapSource rdap, IOptions<ReferenceDataOptions> options, TimeProvider time)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var warnings = Warnings(psl, rdap, options.Value, time.GetUtcNow());
        var list = psl.InUse;
        var bootstrap = rdap.InUse;
        var data = new Dictionary<string, object>
        {
            ["publicSuffixList"] = list.Origin,
            ["publicSuffixListPublished"] = Day(list.PublishedAt),
            ["rdapBootstrap"] = bootstrap.Origin,
            ["rdapBootstrapPublished"] = bootstrap.PublishedAt is { } at ? Day(at) : "unknown",
        };
        return Task.FromResult(warnings.Count == 0
            ? HealthCheckResult.Healthy($"the Public Suffix List in use is from {Day(list.PublishedAt)}, the RDAP bootstrap from {data["rdapBootstrapPublished"]}", data)
            : new HealthCheckResult(context.Registration.FailureStatus, string.Join("; ", warnings), data: data));
    }

    /// <summary>What is too old now, in words (also what the job and the start log).</summary>
    public static IReadOnlyList<string> Warnings(PublicSuffixListRefresh psl, RdapBootstrapSource rdap, ReferenceDataOptions options, DateTimeOffset now)
    {
        var warnings = new List<string>();
        if (psl.InUse.AgeWarning("Public Suffix List", now, options.MaxAge) is { } list) warnings.Add(list);
        var bootstrap = rdap.InUse;
        // A bootstrap that names no publication date has no age to judge: no warning.
        if (bootstrap.PublishedAt is { } published && ReferenceCopy.AgeWarning("RDAP bootstrap", bootstrap.Origin, published, now, options.MaxAge,
                "set Contacts:RdapBootstrapUrl (e.g. https://data.iana.org/rdap/) so it is refreshed") is { } old) warnings.Add(old);
        return warnings;
    }

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
