using Notifier.Cases;
using Notifier.Inbox;
using Notifier.Stats;

namespace Notifier.Tests.Stats;

/// <summary>The statistics over a real migrated SQLite database seeded at known UTC times, asserted to the number.</summary>
public sealed class CaseStatsTests : IAsyncLifetime
{
    /// <summary>Monday of ISO week 2026-W45.</summary>
    private static readonly DateTimeOffset Monday = new(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);

    private StatsDatabase _data = null!;

    public async Task InitializeAsync() => _data = await StatsDatabase.CreateAsync();

    public async Task DisposeAsync() => await _data.DisposeAsync();

    private static DateTimeOffset At(int days, double hours = 0) => Monday.AddDays(days).AddHours(hours);

    [Fact]
    public async Task Weeks_PutSundayEveningInItsWeekAndMondayMidnightInTheNext_WhenCasesOpenAtTheBoundary()
    {
        await _data.OpenAsync("198.51.100.1", Monday.AddTicks(-1)); // Sunday 2026-11-01 23:59:59.9999999 (W44)
        await _data.OpenAsync("198.51.100.2", Monday); // Monday 00:00 (W45)
        await _data.OpenAsync("198.51.100.3", Monday.AddDays(7).AddMinutes(-1)); // Sunday 23:59 (W45)

        var stats = await _data.StatsAsync("2026-10-26", "2026-11-16");

        Assert.Equal(["2026-W44", "2026-W45", "2026-W46"], stats.Weeks.Select(w => w.Week));
        Assert.Equal([new DateOnly(2026, 10, 26), new DateOnly(2026, 11, 2), new DateOnly(2026, 11, 9)], stats.Weeks.Select(w => w.Start));
        Assert.Equal([1, 2, 0], stats.Weeks.Select(w => w.Opened));
    }

    [Fact]
    public async Task Weeks_CountConfirmedOncePerCaseAndEveryResolvedAndReopened_WhenACaseGoesRoundTwice()
    {
        var c = await _data.OpenAsync("198.51.100.1", At(0));
        await _data.ConfirmAsync(c, At(0, 1));
        await _data.NotifyAsync(c, At(0, 2));
        await _data.MoveAsync(c, CaseState.Resolved, At(2));
        await _data.MoveAsync(c, CaseState.Reopened, At(8));
        await _data.MoveAsync(c, CaseState.Confirmed, At(8, 1)); // proven again: not a first confirmation
        await _data.MoveAsync(c, CaseState.Resolved, At(9));

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-16");

        Assert.Equal([(1, 1, 1, 0), (0, 0, 1, 1)], stats.Weeks.Select(w => (w.Opened, w.Confirmed, w.Resolved, w.Reopened)));
    }

    [Fact]
    public async Task Weeks_CutTheFirstAndLastWeekToTheRange_WhenTheRangeStartsMidweek()
    {
        await _data.OpenAsync("198.51.100.1", At(1)); // Tuesday, before the range
        await _data.OpenAsync("198.51.100.2", At(2)); // Wednesday, the first day
        await _data.OpenAsync("198.51.100.3", At(9)); // the next Wednesday, the first day not counted

        var stats = await _data.StatsAsync("2026-11-04", "2026-11-11");

        Assert.Equal([("2026-W45", 1), ("2026-W46", 0)], stats.Weeks.Select(w => (w.Week, w.Opened)));
        Assert.Equal(1, stats.Totals.Opened);
    }

    [Fact]
    public async Task Totals_GiveMedianAndP90_WhenTheCountIsOdd()
    {
        foreach (var (i, hours) in new[] { (1, 10.0), (2, 1.0), (3, 2.0) })
        {
            var c = await _data.OpenAsync($"198.51.100.{i}", At(i));
            await _data.NotifyAsync(c, At(i, hours));
        }

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09");

        // Sorted 1, 2, 10: the median is the middle one; p90 at rank 0.9 × 2 = 1.8 is 2 + 0.8 × (10 − 2).
        Assert.Equal(new DurationStats(3, 2, 8.4), stats.Totals.TimeToFirstNotice);
        Assert.Equal(new DurationStats(0, null, null), stats.Totals.TimeToFix);
    }

    [Fact]
    public async Task Totals_GiveMedianAndP90_WhenTheCountIsEven()
    {
        foreach (var (i, hours) in new[] { (1, 30.0), (2, 10.0), (3, 100.0), (4, 20.0) })
        {
            var c = await _data.OpenAsync($"198.51.100.{i}", At(0));
            await _data.NotifyAsync(c, At(1));
            await _data.MoveAsync(c, CaseState.Resolved, At(1, hours));
            await _data.MoveAsync(c, CaseState.Reopened, At(1, hours + 1));
            await _data.MoveAsync(c, CaseState.Resolved, At(20)); // only the first resolution is the time to fix
        }

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09");

        // Sorted 10, 20, 30, 100: the median is the mean of the middle two; p90 at rank 2.7 is 30 + 0.7 × 70.
        Assert.Equal(new DurationStats(4, 25, 79), stats.Totals.TimeToFix);
        Assert.Equal(new DurationStats(4, 24, 24), stats.Totals.TimeToFirstNotice);
    }

    [Fact]
    public async Task Totals_TakeCaseFirstNoticeAt_WhenTheCaseRecordsIt()
    {
        var c = await _data.OpenAsync("198.51.100.1", At(0));
        await _data.NotifyAsync(c, At(0, 6));
        c.FirstNoticeAt = At(0, 3); // recorded by the case when its first notice went out
        await _data.Db.SaveChangesAsync();

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09");

        Assert.Equal(new DurationStats(1, 3, 3), stats.Totals.TimeToFirstNotice);
    }

    [Fact]
    public async Task Totals_GiveNullRates_WhenNothingWasNotifiedOrResolved()
    {
        await _data.OpenAsync("198.51.100.1", At(0));

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09");
        var empty = await _data.StatsAsync("2026-10-05", "2026-10-12");

        Assert.Equal((1, 0, null, null, null), (stats.Totals.Opened, stats.Totals.Notified, stats.Totals.ResponseRate, stats.Totals.ReopenRate, stats.Totals.ResolutionRate));
        Assert.Equal(new TotalsDto(0, 0, 0, 0, 0, null, null, null, new DurationStats(0, null, null), new DurationStats(0, null, null)), empty.Totals);
        Assert.Empty(empty.ByPrefix);
        Assert.Empty(empty.ByNetwork);
        Assert.Empty(empty.ByMta);
    }

    [Fact]
    public async Task Totals_GiveResponseReopenAndResolutionRates_WhenSomeCasesAnswerAndComeBack()
    {
        var cases = new List<Case>();
        for (var i = 1; i <= 4; i++)
        {
            var c = await _data.OpenAsync($"198.51.100.{i}", At(0));
            await _data.NotifyAsync(c, At(0, 1));
            cases.Add(c);
        }
        var never = await _data.OpenAsync("198.51.100.9", At(0)); // never notified: counts as opened only
        await _data.MailAsync(never, At(0, 2));
        await _data.MailAsync(cases[0], At(0, 3));
        await _data.MailAsync(cases[0], At(0, 4));
        await _data.MailAsync(cases[1], At(0, 5), InboundClass.AutoReply); // an auto-reply is no response
        await _data.MoveAsync(cases[0], CaseState.Resolved, At(1));
        await _data.MoveAsync(cases[1], CaseState.Resolved, At(2));
        await _data.MoveAsync(cases[1], CaseState.Reopened, At(3));

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09");

        Assert.Equal((5, 4, 1, 2, 1), (stats.Totals.Opened, stats.Totals.Notified, stats.Totals.Replied, stats.Totals.Resolved, stats.Totals.Reopened));
        Assert.Equal((0.25, 0.5, 0.5), (stats.Totals.ResponseRate, stats.Totals.ReopenRate, stats.Totals.ResolutionRate));
    }

    [Fact]
    public async Task Totals_CountOnlyCasesOpenedInTheRange_WhileWeeksCountWhatHappenedInIt()
    {
        var before = await _data.OpenAsync("198.51.100.1", At(-10));
        await _data.NotifyAsync(before, At(-10, 1));
        await _data.MoveAsync(before, CaseState.Resolved, At(1));
        await _data.OpenAsync("198.51.100.2", At(2));

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09");

        Assert.Equal((1, 0, 0), (stats.Totals.Opened, stats.Totals.Notified, stats.Totals.Resolved));
        Assert.Equal((1, 1), (stats.Weeks[0].Opened, stats.Weeks[0].Resolved));
    }

    [Fact]
    public async Task ByPrefix_GroupsBySlash24AndSlash48_WithTheMedianTimeToFix()
    {
        foreach (var (address, fixHours) in new (string, double?)[]
        {
            ("198.51.100.7", 10), ("198.51.100.200", 30), ("198.51.100.9", null), ("198.51.101.1", 5),
            ("2001:db8:1::5", 4), ("2001:db8:1:ffff::1", null), ("2001:db8:2::1", null),
        })
        {
            var c = await _data.OpenAsync(address, At(0));
            if (address == "198.51.100.9") continue; // opened, never notified
            await _data.NotifyAsync(c, At(1));
            if (fixHours is { } h) await _data.MoveAsync(c, CaseState.Resolved, At(1, h));
        }

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09");

        Assert.Equal(
            [
                new GroupStatsDto("198.51.100.0/24", 3, 2, 2, 20),
                new GroupStatsDto("2001:db8:1::/48", 2, 2, 1, 4),
                new GroupStatsDto("198.51.101.0/24", 1, 1, 1, 5),
                new GroupStatsDto("2001:db8:2::/48", 1, 1, 0, null),
            ],
            stats.ByPrefix);
    }

    [Fact]
    public async Task ByNetwork_GroupsByRdapHandleWithUnknownForNone_AndKeepsTheTopN()
    {
        foreach (var (i, network) in new[] { (1, "NET-B"), (2, "NET-B"), (3, null), (4, "NET-A"), (5, "NET-C"), (6, null), (7, "NET-B") })
        {
            var c = await _data.OpenAsync($"198.51.100.{i}", At(0), network);
            await _data.NotifyAsync(c, At(0, 1));
            if (network == "NET-B") await _data.MoveAsync(c, CaseState.Resolved, At(0, 1 + i));
        }

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09", top: 3);

        // By cases, then by name: NET-A and NET-C tie with one case each, and only NET-A makes the top 3.
        Assert.Equal(
            [
                new GroupStatsDto("NET-B", 3, 3, 3, 2),
                new GroupStatsDto("unknown", 2, 2, 0, null),
                new GroupStatsDto("NET-A", 1, 1, 0, null),
            ],
            stats.ByNetwork);
    }

    [Fact]
    public async Task ByMta_TakesTheLatestFinishedInitialProbe_NotRetestsOrUnfinishedProbes()
    {
        var exim = await _data.OpenAsync("198.51.100.1", At(0));
        await _data.ConfirmAsync(exim, At(0, 1), "Postfix");
        await _data.ConfirmAsync(exim, At(0, 2), "Exim"); // proven again later: this probe proves it now
        var retest = new Probe { Key = "retest0000000001", Kind = ProbeKind.Retest, Status = ProbeStatus.Done, Mta = "Sendmail", QueuedAt = At(3), FinishedAt = At(3) };
        var queued = new Probe { Key = "queued0000000001", Kind = ProbeKind.Initial, Status = ProbeStatus.Queued, Mta = "Sendmail", QueuedAt = At(4) };
        exim.Probes.AddRange([retest, queued]);
        var postfix = await _data.OpenAsync("198.51.100.2", At(0));
        await _data.ConfirmAsync(postfix, At(0, 1), "Postfix");
        await _data.NotifyAsync(postfix, At(0, 2));
        await _data.MoveAsync(postfix, CaseState.Resolved, At(0, 12));
        await _data.OpenAsync("198.51.100.3", At(0)); // never probed

        var stats = await _data.StatsAsync("2026-11-02", "2026-11-09");

        Assert.Equal(
            [
                new GroupStatsDto("Exim", 1, 0, 0, null),
                new GroupStatsDto("Postfix", 1, 1, 1, 10),
                new GroupStatsDto("unknown", 1, 0, 0, null),
            ],
            stats.ByMta);
    }
}
