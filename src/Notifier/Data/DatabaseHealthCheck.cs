using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notifier.Data;

public sealed class DatabaseHealthCheck(NotifierDb db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("the database cannot be reached");
}
