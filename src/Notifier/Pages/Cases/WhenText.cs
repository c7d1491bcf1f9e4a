using System.Globalization;

namespace Notifier.Pages.Cases;

/// <summary>
/// A moment as the case page writes it: UTC to the second (what the evidence and the notices say), and how far from
/// now in words ("in 5 min", "3 h ago"), so an operator sees at a glance whether the next action is overdue.
/// </summary>
public static class WhenText
{
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"now" within a minute; minutes, hours or days (rounded down) before or after <paramref name="now"/>.</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var d = at - now;
        var span = d.Duration();
        if (span < TimeSpan.FromMinutes(1)) return "now";
        var amount = span < TimeSpan.FromHours(1) ? $"{(int)span.TotalMinutes} min"
            : span < TimeSpan.FromDays(2) ? $"{(int)span.TotalHours} h"
            : $"{(int)span.TotalDays} d";
        return d > TimeSpan.Zero ? $"in {amount}" : $"{amount} ago";
    }
}
