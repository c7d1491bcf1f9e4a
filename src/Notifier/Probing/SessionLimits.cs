namespace Notifier.Probing;

/// <summary>Per-dialogue limits that keep a tarpit or a hostile peer from holding a worker.</summary>
public sealed record SessionLimits(
    TimeSpan ConnectTimeout,
    TimeSpan ReplyTimeout,
    int MaxReplyBytes,
    int MaxReplyLines);
