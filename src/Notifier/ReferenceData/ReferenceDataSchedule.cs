using Cronos;
using Microsoft.Extensions.Options;

namespace Notifier.ReferenceData;

/// <summary>
/// Runs <see cref="ReferenceDataJob"/> in every node's own process, whatever its role, on <c>ReferenceData:Cron</c>
/// (UTC) and once at start when a copy is due (never fetched from its URL, or a run was missed): each node holds its own
/// copies in memory and on its disk, so a refresh run once per cluster left the other nodes on their start-time copies.
/// The files are public and change a few times a year; a conditional GET per node per run costs a 304. A failed run is
/// logged and the next one comes at the next scheduled time; the host's shutdown cancels a wait or a download.
/// </summary>
public sealed class ReferenceDataSchedule(ReferenceDataJob job, PublicSuffixListRefresh psl, RdapBootstrapRefresh bootstrap,
    IOptions<ReferenceDataOptions> options, TimeProvider time, ILogger<ReferenceDataSchedule> log) : BackgroundService
{
    // Task.Delay waits at most about 49 days (uint.MaxValue - 1 ms); a wait for a yearly cron is made of shorter ones.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    /// <summary>
    /// <paramref name="cron"/> read as Hangfire read it when the refresh was its recurring job: five fields, or six with
    /// seconds first, or a macro such as <c>@daily</c>; null when it is none of them.
    /// </summary>
    public static CronExpression? ParseCron(string? cron)
    {
        if (string.IsNullOrWhiteSpace(cron)) return null;
        var format = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length == 6
            ? CronFormat.IncludeSeconds
            : CronFormat.Standard;
        return CronExpression.TryParse(cron.Trim(), format, out var parsed) ? parsed : null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Validated at start (ReferenceDataExtensions), so never null here.
        var cron = ParseCron(options.Value.Cron)!;
        try
        {
            var now = time.GetUtcNow();
            if (psl.IsDue(now) || bootstrap.IsDue(now)) await RunAsync(stoppingToken);
            while (true)
            {
                if (cron.GetNextOccurrence(time.GetUtcNow(), TimeZoneInfo.Utc) is not { } next)
                {
                    log.LogWarning("Reference data: ReferenceData:Cron \"{Cron}\" has no further occurrence; no more refreshes until the next start", options.Value.Cron);
                    return;
                }
                log.LogDebug("Reference data: next refresh at {Next:O}", next);
                // Waits until the clock reads the occurrence, not for a fixed span: a timer that fires early waits again.
                for (var left = next - time.GetUtcNow(); left > TimeSpan.Zero; left = next - time.GetUtcNow())
                    await Task.Delay(left < LongestWait ? left : LongestWait, time, stoppingToken);
                await RunAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: the copies in use stay as they are (a download cut short stored nothing).
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await job.RunAsync(ct);
        }
        // Anything but the host's shutdown (an unwritable sidecar, a bug) is logged and waits for the next run: a
        // refresh that fails must not stop the service, which works on the copies in use.
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogError(e, "Reference data: the refresh failed; the copies in use stay until the next scheduled run");
        }
    }
}
