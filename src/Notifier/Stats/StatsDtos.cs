namespace Notifier.Stats;

/// <summary>
/// The answer of <c>GET /api/stats</c> (and the dashboard's <c>/stats</c> page). <see cref="Weeks"/> count events by when they happened; everything else is
/// about the cohort of cases opened in [<see cref="From"/>, <see cref="To"/>), with what happened to them since.
/// </summary>
public sealed record StatsDto(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<WeekStatsDto> Weeks,
    TotalsDto Totals,
    IReadOnlyList<GroupStatsDto> ByPrefix,
    IReadOnlyList<GroupStatsDto> ByNetwork,
    IReadOnlyList<GroupStatsDto> ByMta,
    IReadOnlyList<DurationBucketDto> TimeToFixHistogram);

/// <summary>
/// One ISO 8601 week (Monday 00:00 UTC to the next Monday), cut to the range at its ends: cases opened, first
/// confirmed (a case confirmed again later is not counted again), resolved and reopened (every such change).
/// </summary>
public sealed record WeekStatsDto(string Week, DateOnly Start, int Opened, int Confirmed, int Resolved, int Reopened);

/// <summary>How long something took, in hours: how many cases it was measured on, the median and the 90th percentile (null for none).</summary>
public sealed record DurationStats(int Count, double? MedianHours, double? P90Hours);

/// <summary>
/// The cohort's counts and rates. A rate whose denominator is 0 is null (no data), never 0 or NaN: 0 would say
/// "nobody", which is a finding. Notified: a notice was sent or carried. Resolved, reopened: a state change to it.
/// </summary>
public sealed record TotalsDto(
    int Opened,
    int Notified,
    int Replied,
    int Resolved,
    int Reopened,
    double? ResponseRate,
    double? ReopenRate,
    double? ResolutionRate,
    DurationStats TimeToFirstNotice,
    DurationStats TimeToFix);

/// <summary>One network (the /24 or /48, the RDAP handle) or MTA: its cases, how many were notified and resolved, the median time to fix.</summary>
public sealed record GroupStatsDto(string Key, int Opened, int Notified, int Resolved, double? MedianHoursToFix);

/// <summary>
/// How many of the cohort's resolved cases took from <see cref="FromHours"/> (included) to <see cref="ToHours"/>
/// (excluded; null: no upper bound) from the first notice to the fix: the time-to-fix distribution.
/// </summary>
public sealed record DurationBucketDto(string Label, double FromHours, double? ToHours, int Count);
