using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Notifier.Inbox;

/// <summary>
/// Ready only when the canary inbox can be read now: a connection and IMAP login as the poll makes them
/// (<see cref="InboxPollJob.ConnectAsync"/>), then LOGOUT. The "inbox" check beside it says how the polls went;
/// this one says whether the next one can work, so it recovers the moment the server is back.
/// </summary>
public sealed class ImapLoginHealthCheck(IOptions<InboxOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Value;
        if (!o.Enabled) return HealthCheckResult.Healthy("no inbox configured (Inbox:Host)");
        try
        {
            using var client = await InboxPollJob.ConnectAsync(o, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return HealthCheckResult.Healthy($"logged in to {o.Host}:{o.Port} as {o.User}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"no IMAP login to {o.Host}:{o.Port} as {o.User}: {e.GetType().Name}: {e.Message}; canaries, bounces and replies wait until it works");
        }
    }
}
