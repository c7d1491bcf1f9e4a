using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Stats;

/// <summary>
/// Cases opened, first confirmed, resolved and reopened per ISO week, counted by SQLite in one grouped query over
/// the CaseEvents index on (Kind, ToState, At).
/// </summary>
public static class StatsWeeks
{
    private const int Opened = 0;
    private const int Confirmed = 1;
    private const int Resolved = 2;
    private const int Reopened = 3;

    /// <summary>One row of the grouped query: a series (<see cref="Opened"/> …), a week index from the first Monday, a count.</summary>
    private sealed class WeekCount
    {
        public int Series { get; set; }

        public long Week { get; set; }

        public int Count { get; set; }
    }

    public static async Task<IReadOnlyList<WeekStatsDto>> CountAsync(NotifierDb db, StatsRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(range);
        var firstMonday = StatsRange.WeekStart(range.From);
        var stored = StoredTime(db);
        var origin = stored(new DateTimeOffset(firstMonday.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var width = stored(new DateTimeOffset(firstMonday.AddDays(7).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)) - origin;
        var from = stored(range.FromAt);
        var to = stored(range.ToAt);
        // Raw SQL, because the week is arithmetic on the stored integer, which LINQ cannot write over a DateTimeOffset
        // property. NotifierDb stores a UTC DateTimeOffset as EF's DateTimeOffsetToBinaryConverter long: whole
        // 0.1 ms units shifted left by 11 bits, linear in time at offset 0 (StoredTime checks that), so
        // (At - origin) / width is the week index and an event at Sunday 23:59:59.9999 stays in its week.
        // "Confirmed" is each case's first change to Confirmed (MIN per case, then the range), the others every change.
        var rows = await db.Database.SqlQuery<WeekCount>($"""
            SELECT "s"."Series" AS "Series", ("s"."At" - {origin}) / {width} AS "Week", COUNT(*) AS "Count" FROM (
                SELECT {Opened} AS "Series", "At" FROM "CaseEvents"
                    WHERE "Kind" = {CaseEventKind.Created} AND "ToState" IS NULL AND "At" >= {from} AND "At" < {to}
                UNION ALL
                SELECT {Confirmed}, MIN("At") FROM "CaseEvents"
                    WHERE "Kind" = {CaseEventKind.StateChanged} AND "ToState" = {CaseState.Confirmed}
                    GROUP BY "CaseId" HAVING MIN("At") >= {from} AND MIN("At") < {to}
                UNION ALL
                SELECT {Resolved}, "At" FROM "CaseEvents"
                    WHERE "Kind" = {CaseEventKind.StateChanged} AND "ToState" = {CaseState.Resolved} AND "At" >= {from} AND "At" < {to}
                UNION ALL
                SELECT {Reopened}, "At" FROM "CaseEvents"
                    WHERE "Kind" = {CaseEventKind.StateChanged} AND "ToState" = {CaseState.Reopened} AND "At" >= {from} AND "At" < {to}
            ) AS "s"
            GROUP BY "s"."Series", "Week"
            """).ToListAsync(ct);
        var counts = rows.ToDictionary(r => (r.Series, r.Week), r => r.Count);
        int Count(int series, long week) => counts.GetValueOrDefault((series, week));
        var weeks = new List<WeekStatsDto>();
        for (var (monday, week) = (firstMonday, 0L); monday < range.To; monday = monday.AddDays(7), week++)
        {
            var day = monday.ToDateTime(TimeOnly.MinValue);
            var label = $"{ISOWeek.GetYear(day):D4}-W{ISOWeek.GetWeekOfYear(day):D2}";
            weeks.Add(new WeekStatsDto(label, monday, Count(Opened, week), Count(Confirmed, week), Count(Resolved, week), Count(Reopened, week)));
        }
        return weeks;
    }

    /// <summary>
    /// The integer SQLite holds for a UTC time, by the converter the model really uses for CaseEvent.At (not a copy
    /// of its formula), after checking that it is linear, which the week arithmetic above relies on.
    /// </summary>
    private static Func<DateTimeOffset, long> StoredTime(NotifierDb db)
    {
        var converter = db.Model.FindEntityType(typeof(CaseEvent))?.FindProperty(nameof(CaseEvent.At))?.GetTypeMapping().Converter
            ?? throw new InvalidOperationException("the weekly statistics need CaseEvent.At stored as an integer (the SQLite provider's DateTimeOffsetToBinaryConverter)");
        long Stored(DateTimeOffset t) => Convert.ToInt64(converter.ConvertToProvider(t), CultureInfo.InvariantCulture);
        var monday = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var week = Stored(monday.AddDays(7)) - Stored(monday);
        if (week <= 0 || Stored(monday.AddDays(14)) - Stored(monday) != 2 * week || Stored(monday.AddTicks(-1000)) >= Stored(monday))
            throw new InvalidOperationException("CaseEvent.At is not stored as an integer linear in time; the weekly statistics cannot bucket it in SQL");
        return Stored;
    }
}
