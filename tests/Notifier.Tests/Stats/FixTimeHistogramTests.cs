using Notifier.Stats;

namespace Notifier.Tests.Stats;

public sealed class FixTimeHistogramTests
{
    [Fact]
    public void Of_CountsEachDurationInItsBucket_LowerBoundIncluded()
    {
        var buckets = FixTimeHistogram.Of([TimeSpan.FromMinutes(5), TimeSpan.FromHours(1), TimeSpan.FromHours(23.9), TimeSpan.FromDays(3), TimeSpan.FromDays(45)]);

        Assert.Equal(["0–1 h", "1 h–6 h", "6 h–1 d", "1 d–3 d", "3 d–7 d", "7 d–14 d", "14 d–30 d", "over 30 d"], buckets.Select(b => b.Label));
        Assert.Equal([1, 1, 1, 0, 1, 0, 0, 1], buckets.Select(b => b.Count));
        Assert.Null(buckets[^1].ToHours);
    }
}
