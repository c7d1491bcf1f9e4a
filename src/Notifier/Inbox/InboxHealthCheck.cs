using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Notifier.Inbox;

/// <summary>
/// Degraded while the inbox cannot be read: the service still takes reports and probes, but no canary is confirmed
/// and no bounce or reply is seen, so it says why and since when.
/// </summary>
public sealed class InboxHealthCheck(InboxPollStatus status, IOptions<InboxOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!options.Value.Enabled) return Task.FromResult(HealthCheckResult.Healthy("no inbox configured (Inbox:Host)"));
        var s = status.Current;
        var result = s switch
        {
            { LastPollAt: null } => HealthCheckResult.Healthy("not polled yet"),
            { LastError: { } error } => HealthCheckResult.Degraded(
                $"the inbox poll is failing since {Utc(s.FailingSince)} ({s.ConsecutiveFailures} failed poll{(s.ConsecutiveFailures == 1 ? "" : "s")}, the latest at {Utc(s.LastPollAt)}; " +
                $"last success: {(s.LastSuccessAt is null ? "never" : Utc(s.LastSuccessAt))}): {error}"),
            _ => HealthCheckResult.Healthy($"last poll at {Utc(s.LastPollAt)} succeeded"),
        };
        return Task.FromResult(result);
    }

    private static string Utc(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "";
}
