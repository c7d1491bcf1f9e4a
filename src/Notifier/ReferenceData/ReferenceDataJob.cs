using Microsoft.Extensions.Options;
using Notifier.Contacts.Rdap;

namespace Notifier.ReferenceData;

/// <summary>
/// One refresh of this node's reference data: the Public Suffix List and the RDAP bootstrap; warns when a copy in use
/// is still too old. <see cref="ReferenceDataSchedule"/> runs it on every node (<c>ReferenceData:Cron</c>, and once at
/// start when a copy is due). The name and <see cref="RunAsync"/> are those of the Hangfire job it was until each node
/// refreshed its own copies, so an occurrence that job left enqueued in a cluster's storage still runs (and refreshes
/// the node whose worker takes it) instead of failing for want of its type.
/// </summary>
public sealed class ReferenceDataJob(PublicSuffixListRefresh psl, RdapBootstrapRefresh bootstrap, RdapBootstrapSource rdap, IOptions<ReferenceDataOptions> options,
    TimeProvider time, ILogger<ReferenceDataJob> log) : IDisposable
{
    /// <summary>The id of the former Hangfire recurring job, removed at start (<see cref="ReferenceDataExtensions.StartReferenceData"/>).</summary>
    public const string RecurringId = "reference-data";

    // One run at a time in this process: the schedule and a leftover Hangfire occurrence write the same stored files.
    private readonly SemaphoreSlim _running = new(1, 1);

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken);
        try
        {
            var outcome = await psl.RefreshAsync(cancellationToken) + "; " + await bootstrap.RefreshAsync(cancellationToken);
            foreach (var warning in ReferenceDataHealthCheck.Warnings(psl, rdap, options.Value, time.GetUtcNow()))
                log.LogWarning("Reference data: {Warning}", warning);
            return outcome;
        }
        finally
        {
            _running.Release();
        }
    }

    public void Dispose() => _running.Dispose();
}
