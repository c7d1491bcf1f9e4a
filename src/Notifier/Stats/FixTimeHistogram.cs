using System.Globalization;

namespace Notifier.Stats;

/// <summary>
/// The time-to-fix distribution (first notice to the first resolution) in buckets that widen as the desk's own
/// rhythm does: same hour, same working day, a day, the first retest rounds (3 and 7 days), the reminder and
/// escalation weeks, and beyond a month. Fixed bounds, not quantiles: weeks and ranges stay comparable.
/// </summary>
public static class FixTimeHistogram
{
    /// <summary>The lower bounds in hours; each bucket ends where the next begins, the last one is open.</summary>
    public static IReadOnlyList<double> BoundsHours { get; } = [0, 1, 6, 24, 72, 168, 336, 720];

    public static IReadOnlyList<DurationBucketDto> Of(IEnumerable<TimeSpan> durations)
    {
        var counts = new int[BoundsHours.Count];
        foreach (var d in durations)
        {
            var hours = Math.Max(0, d.TotalHours);
            var i = BoundsHours.Count - 1;
            while (i > 0 && hours < BoundsHours[i]) i--;
            counts[i]++;
        }
        return BoundsHours.Select((from, i) =>
        {
            double? to = i + 1 < BoundsHours.Count ? BoundsHours[i + 1] : null;
            return new DurationBucketDto(Label(from, to), from, to, counts[i]);
        }).ToList();
    }

    private static string Label(double from, double? to) => to is { } t ? $"{Span(from)}–{Span(t)}" : $"over {Span(from)}";

    private static string Span(double hours) => hours switch
    {
        0 => "0",
        < 24 => string.Create(CultureInfo.InvariantCulture, $"{hours:0} h"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{hours / 24:0} d"),
    };
}
