using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Notifier.Pages.Owner;

/// <summary>
/// The per-client-address limit of owner retests (<see cref="OwnerRetestOptions.ClientRetestsPerHour"/>): ASP.NET
/// Core's rate limiting primitives (System.Threading.RateLimiting), a fixed window per remote IP (Hosting's forwarded
/// headers make that the client's, behind a known proxy). Called from the page handler rather than through the
/// rate-limiting middleware because a refusal must answer with the page itself (429, and when the next test is
/// possible), which the middleware's rejection cannot render; and only after the per-case limits passed, so a
/// refused request does not use up a permit. Per node, in memory: the per-case limits are the durable ones.
/// </summary>
public sealed class OwnerRetestClientLimiter(IOptions<OwnerRetestOptions> options) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.ClientRetestsPerHour,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>The client address a request counts against (the connection's remote IP; <c>unknown</c> without one).</summary>
    public static string ClientOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>Takes one permit for <paramref name="client"/>; null when granted, else how long until the window allows one again.</summary>
    public TimeSpan? TryAcquire(string client)
    {
        using var lease = _limiter.AttemptAcquire(client);
        if (lease.IsAcquired) return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
    }

    public void Dispose() => _limiter.Dispose();
}
