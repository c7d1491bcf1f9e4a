namespace Notifier.Probing;

/// <summary>The request cannot be probed as given (bad host, refused target). The message says why, in one line.</summary>
public sealed class ProbeRequestException(string message) : Exception(message);

/// <summary>The target (or its network) was probed too recently; try again at <see cref="RetryAt"/>.</summary>
public sealed class ProbeThrottledException(string message, DateTimeOffset retryAt) : Exception(message)
{
    public DateTimeOffset RetryAt { get; } = retryAt;
}
