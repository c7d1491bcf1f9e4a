using Hangfire;
using Microsoft.Extensions.Options;
using Notifier.Contacts.Rdap;

namespace Notifier.ReferenceData;

/// <summary>
/// The recurring refresh of the reference data (<c>ReferenceData:Cron</c>, and once at start when a copy is due): the
/// Public Suffix List and the RDAP bootstrap; warns when a copy in use is still too old.
/// </summary>
public sealed class ReferenceDataJob(PublicSuffixListRefresh psl, RdapBootstrapRefresh bootstrap, RdapBootstrapSource rdap, IOptions<ReferenceDataOptions> options,
    TimeProvider time, ILogger<ReferenceDataJob> log)
{
    public const string RecurringId = "reference-data";

    [DisableConcurrentExecution(600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var outcome = await psl.RefreshAsync(cancellationToken) + "; " + await bootstrap.RefreshAsync(cancellationToken);
        foreach (var warning in ReferenceDataHealthCheck.Warnings(psl, rdap, options.Value, time.GetUtcNow()))
            log.LogWarning("Reference data: {Warning}", warning);
        return outcome;
    }
}
