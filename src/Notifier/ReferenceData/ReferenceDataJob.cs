using Hangfire;
using Microsoft.Extensions.Options;

namespace Notifier.ReferenceData;

/// <summary>The recurring refresh of the reference data (<c>ReferenceData:Cron</c>); warns when the copy in use is still too old.</summary>
public sealed class ReferenceDataJob(PublicSuffixListRefresh psl, IOptions<ReferenceDataOptions> options, TimeProvider time, ILogger<ReferenceDataJob> log)
{
    public const string RecurringId = "reference-data";

    [DisableConcurrentExecution(600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var outcome = await psl.RefreshAsync(cancellationToken);
        if (psl.InUse.AgeWarning("Public Suffix List", time.GetUtcNow(), options.Value.MaxAge) is { } warning)
            log.LogWarning("Reference data: {Warning}", warning);
        return outcome;
    }
}
