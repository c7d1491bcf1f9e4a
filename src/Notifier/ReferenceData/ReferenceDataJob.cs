using Hangfire;
using Microsoft.Extensions.Options;
using Notifier.Contacts.Rdap;

namespace Notifier.ReferenceData;

/// <summary>
/// The recurring refresh of the reference data (<c>ReferenceData:Cron</c>): the Public Suffix List, and the RDAP
/// bootstrap when its <c>Contacts:RdapBootstrapRefresh</c> is due; warns when a copy in use is still too old.
/// </summary>
public sealed class ReferenceDataJob(PublicSuffixListRefresh psl, RdapBootstrapSource rdap, IOptions<ReferenceDataOptions> options, TimeProvider time,
    ILogger<ReferenceDataJob> log)
{
    public const string RecurringId = "reference-data";

    [DisableConcurrentExecution(600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var outcome = await psl.RefreshAsync(cancellationToken);
        var (_, note) = await rdap.GetAsync(cancellationToken);
        if (note is not null) log.LogWarning("RDAP bootstrap: {Query} {Reason}", note.Query, note.Reason);
        foreach (var warning in ReferenceDataHealthCheck.Warnings(psl, rdap, options.Value, time.GetUtcNow()))
            log.LogWarning("Reference data: {Warning}", warning);
        return outcome;
    }
}
