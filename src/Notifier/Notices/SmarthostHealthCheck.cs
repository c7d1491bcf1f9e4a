using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notifier.Notices;

/// <summary>
/// Ready only when notices can go out: with a smarthost configured, a connection and login to it work now
/// (<see cref="SmarthostSender.CheckAsync"/>); with the outbox directory there is nothing to reach.
/// </summary>
public sealed class SmarthostHealthCheck(INoticeSender sender) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (sender is not SmarthostSender smarthost) return HealthCheckResult.Healthy($"no smarthost configured: notices go to the {sender.Name}");
        var problem = await smarthost.CheckAsync(cancellationToken);
        return problem is null
            ? HealthCheckResult.Healthy("the smarthost accepts a connection and login")
            : new HealthCheckResult(context.Registration.FailureStatus, problem + "; notices are deferred until it answers");
    }
}
