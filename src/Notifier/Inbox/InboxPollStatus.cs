namespace Notifier.Inbox;

/// <summary>
/// The outcome of the latest inbox polls in this process, for the health check: the poll runs as a recurring job
/// whose failures would otherwise only show in the log and in Hangfire's failed list.
/// </summary>
public sealed class InboxPollStatus
{
    private readonly Lock _lock = new();
    private Snapshot _current = new(null, null, null, null, 0);

    /// <param name="LastPollAt">When the latest poll ended; null before the first.</param>
    /// <param name="LastError">Why the latest poll failed; null when it succeeded.</param>
    /// <param name="FailingSince">When the current run of failures began; null when the latest poll succeeded.</param>
    /// <param name="LastSuccessAt">When a poll last succeeded.</param>
    /// <param name="ConsecutiveFailures">Failed polls since the last success.</param>
    public sealed record Snapshot(DateTimeOffset? LastPollAt, string? LastError, DateTimeOffset? FailingSince, DateTimeOffset? LastSuccessAt, int ConsecutiveFailures);

    public Snapshot Current
    {
        get { lock (_lock) return _current; }
    }

    public void Succeeded(DateTimeOffset at)
    {
        lock (_lock) _current = new Snapshot(at, null, null, at, 0);
    }

    public void Failed(DateTimeOffset at, Exception error)
    {
        lock (_lock)
        {
            _current = new Snapshot(at, $"{error.GetType().Name}: {error.Message}", _current.FailingSince ?? at, _current.LastSuccessAt, _current.ConsecutiveFailures + 1);
        }
    }
}
