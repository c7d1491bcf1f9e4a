using Notifier.Stats;

namespace Notifier.Tests.Stats;

/// <summary>Reading <c>from</c>, <c>to</c> and <c>top</c> of <c>GET /api/stats</c>.</summary>
public sealed class StatsRangeTests
{
    /// <summary>Wednesday of ISO week 2026-W49.</summary>
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 15, 30, 0, TimeSpan.Zero);

    [Fact]
    public void TryRead_GivesThe26WeeksEndingWithTheCurrentOne_WhenNothingIsAsked()
    {
        var range = StatsRange.TryRead(null, null, null, Now, out var errors);

        Assert.Empty(errors);
        Assert.Equal(new StatsRange(new DateOnly(2026, 6, 8), new DateOnly(2026, 12, 7), 20), range);
    }

    [Fact]
    public void TryRead_GivesTheAskedDays_WhenTheyAreValid()
    {
        var range = StatsRange.TryRead("2021-12-07", "2026-12-07", "200", Now, out var errors);

        Assert.Empty(errors);
        Assert.Equal(new StatsRange(new DateOnly(2021, 12, 7), new DateOnly(2026, 12, 7), 200), range);
    }

    [Theory]
    [InlineData("2026-11-09", "2026-11-09", null, "from", "must be before to")]
    [InlineData("2026-11-10", "2026-11-09", null, "from", "must be before to")]
    [InlineData("2021-12-06", "2026-12-07", null, "to", "must be at most 5 years after from")]
    [InlineData("2026-13-01", null, null, "from", "must be a UTC date yyyy-MM-dd from 1970 to 9000 (the first day counted)")]
    [InlineData(null, "0001-01-01", null, "to", "must be a UTC date yyyy-MM-dd from 1970 to 9000 (the first day not counted)")]
    [InlineData("9999-12-31", null, null, "from", "must be a UTC date yyyy-MM-dd from 1970 to 9000 (the first day counted)")]
    [InlineData(null, "9.11.2026", null, "to", "must be a UTC date yyyy-MM-dd from 1970 to 9000 (the first day not counted)")]
    [InlineData(null, null, "0", "top", "must be a whole number from 1 to 200")]
    [InlineData(null, null, "201", "top", "must be a whole number from 1 to 200")]
    [InlineData(null, null, "ten", "top", "must be a whole number from 1 to 200")]
    public void TryRead_NamesTheField_WhenAValueIsBad(string? from, string? to, string? top, string field, string message)
    {
        var range = StatsRange.TryRead(from, to, top, Now, out var errors);

        Assert.Null(range);
        Assert.Equal(message, Assert.Single(errors[field]));
    }
}
