namespace Notifier.Cases;

/// <summary>Exponential backoff shared by probe retries and notice retries: base, 2×base, 4×base … capped.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int attempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        var factor = Math.Pow(2, Math.Max(0, attempts - 1));
        var ticks = Math.Min(maxDelay.Ticks, baseDelay.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }
}
