namespace Notifier.Stats;

/// <summary>
/// Median and 90th percentile of durations, in hours. Computed here over the durations the queries selected, not in
/// SQL: SQLite has no percentile or median aggregate (PostgreSQL's percentile_cont would do it in the database).
/// </summary>
public static class Percentiles
{
    /// <summary>
    /// The <paramref name="p"/>-quantile (0..1) of sorted values by linear interpolation between the closest ranks
    /// (Hyndman and Fan's type 7, the default of numpy, R and Excel's PERCENTILE.INC): the median of an even count is
    /// the mean of the two middle values. Null for no values.
    /// </summary>
    public static double? Of(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return null;
        var h = (sorted.Count - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    /// <summary>Count, median and p90 of <paramref name="durations"/> in hours, rounded to 0.01 h (36 s).</summary>
    public static DurationStats Summarise(IEnumerable<TimeSpan> durations)
    {
        var hours = durations.Select(d => d.TotalHours).Order().ToList();
        return new DurationStats(hours.Count, Hours(Of(hours, 0.5)), Hours(Of(hours, 0.9)));
    }

    public static double? Hours(double? value) => value is { } v ? Math.Round(v, 2, MidpointRounding.AwayFromZero) : null;
}
