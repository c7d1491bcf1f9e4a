namespace Notifier.Pages.Owner;

/// <summary>What the retest views share beyond their model.</summary>
public static class OwnerRetestView
{
    /// <summary>ViewData key: the time a refused request may be repeated (a client-address refusal the database does not know).</summary>
    public const string RefusedUntilKey = "OwnerRetestRefusedUntil";

    /// <summary>Whole minutes until <paramref name="at"/>, at least 1 (the page says "in 1 minute", never "in 0").</summary>
    public static int MinutesUntil(DateTimeOffset at, DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((at - now).TotalMinutes));
}
