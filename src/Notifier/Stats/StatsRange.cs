using System.Globalization;

namespace Notifier.Stats;

/// <summary>
/// What <c>GET /api/stats</c> is asked for: the UTC days <see cref="From"/> (first day counted) to <see cref="To"/>
/// (first day not counted, so two Mondays give whole ISO weeks) and how many groups each "top" list keeps.
/// </summary>
public sealed record StatsRange(DateOnly From, DateOnly To, int Top)
{
    public const int DefaultWeeks = 26;
    public const int DefaultTop = 20;
    public const int MaxTop = 200;
    public const int MaxYears = 5;

    public DateTimeOffset FromAt => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public DateTimeOffset ToAt => new(To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The Monday (ISO 8601 weeks start on Monday) of the week that holds <paramref name="day"/>.</summary>
    public static DateOnly WeekStart(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>
    /// Reads the query; each bad field gets its message (the API answers 400 with all of them). Without
    /// <c>from</c>/<c>to</c>: the 26 ISO weeks that end with the current one (<c>to</c> is the next Monday).
    /// </summary>
    public static StatsRange? TryRead(string? from, string? to, string? top, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var nextMonday = WeekStart(DateOnly.FromDateTime(now.UtcDateTime)).AddDays(7);
        var toDay = nextMonday;
        if (to is not null && !TryDay(to, out toDay))
        {
            errors["to"] = ["must be a UTC date yyyy-MM-dd from 1970 to 9000 (the first day not counted)"];
            toDay = nextMonday;
        }
        var fromDay = toDay.AddDays(-7 * DefaultWeeks);
        if (from is not null && !TryDay(from, out fromDay)) errors["from"] = ["must be a UTC date yyyy-MM-dd from 1970 to 9000 (the first day counted)"];
        var topCount = DefaultTop;
        if (top is not null && (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out topCount) || topCount is < 1 or > MaxTop))
            errors["top"] = [$"must be a whole number from 1 to {MaxTop}"];
        if (errors.Count == 0)
        {
            if (fromDay >= toDay) errors["from"] = ["must be before to"];
            else if (fromDay.AddYears(MaxYears) < toDay) errors["to"] = [$"must be at most {MaxYears} years after from"];
        }
        return errors.Count == 0 ? new StatsRange(fromDay, toDay, topCount) : null;
    }

    /// <summary>A day of a sane range: week arithmetic near DateOnly's own limits (year 1, 9999) would overflow.</summary>
    private static bool TryDay(string text, out DateOnly day) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day) && day.Year is >= 1970 and <= 9000;
}
