using Notifier.Stats;

namespace Notifier.Tests.Stats;

public sealed class PercentilesTests
{
    [Theory]
    [InlineData(new double[] { 7 }, 0.5, 7)]
    [InlineData(new double[] { 7 }, 0.9, 7)]
    [InlineData(new double[] { 1, 2, 3, 4, 5 }, 0.5, 3)]
    [InlineData(new double[] { 1, 2, 3, 4, 5 }, 0.9, 4.6)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 0.5, 2.5)]
    [InlineData(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 }, 0.9, 10)]
    public void Of_InterpolatesBetweenTheClosestRanks_WhenThereAreValues(double[] sorted, double p, double expected)
    {
        Assert.Equal(expected, Percentiles.Of(sorted, p)!.Value, 9);
    }

    [Fact]
    public void Summarise_GivesNullsAndZero_WhenThereAreNoDurations()
    {
        Assert.Equal(new DurationStats(0, null, null), Percentiles.Summarise([]));
    }
}
