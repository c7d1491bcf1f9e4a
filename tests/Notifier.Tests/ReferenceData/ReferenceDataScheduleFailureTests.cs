using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;
using Notifier.ReferenceData;

namespace Notifier.Tests.ReferenceData;

/// <summary>
/// A refresh that throws (here the copy's sidecar cannot be written) is logged as an error and the schedule goes on:
/// the next occurrence refreshes again, and the host's stop ends the schedule at once rather than failing it.
/// </summary>
public sealed class ReferenceDataScheduleFailureTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("notifier-schedule-").FullName;
    private TestListServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestListServer.StartAsync();
        _server.Body = TestListServer.ShippedListWith("suffix.notifier-test");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Schedule_LogsAFailedRefreshAndRunsAgainAtTheNextTime_AndStopsWhenTheHostStops()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new FakeLogCollector();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new FakeLoggerProvider(logs)));
        var services = new ServiceCollection();
        services.AddHttpClient(PublicSuffixListRefresh.HttpClientName);
        using var provider = services.BuildServiceProvider();
        var options = Options.Create(new ReferenceDataOptions { PublicSuffixListUrl = _server.Url, Directory = _directory });
        var contacts = Options.Create(new ContactsOptions());
        var psl = new PublicSuffixListRefresh(provider.GetRequiredService<IHttpClientFactory>(), options, contacts,
            PublicSuffixList.Load(PublicSuffixListRefresh.ShippedPath), time, NullLogger<PublicSuffixListRefresh>.Instance);
        var rdap = new RdapBootstrapSource();
        var bootstrap = new RdapBootstrapRefresh(provider.GetRequiredService<IHttpClientFactory>(), options, contacts, rdap, time,
            NullLogger<RdapBootstrapRefresh>.Instance);
        // Fetched just now, so nothing is due at start; then its sidecar becomes a directory: the next 304 cannot be noted.
        await psl.RefreshAsync(CancellationToken.None);
        var sidecar = ReferenceCopy.SidecarOf(psl.StoredPath);
        File.Delete(sidecar);
        Directory.CreateDirectory(sidecar);
        using var job = new ReferenceDataJob(psl, bootstrap, rdap, options, time, loggers.CreateLogger<ReferenceDataJob>());
        using var schedule = new ReferenceDataSchedule(job, psl, bootstrap, options, time, loggers.CreateLogger<ReferenceDataSchedule>());

        await schedule.StartAsync(CancellationToken.None);
        var failed = await AtNextOccurrenceAsync(time, () => logs.GetSnapshot().Any(r => r.Level == LogLevel.Error));
        var runningAfterFailure = !schedule.ExecuteTask!.IsCompleted;
        Directory.Delete(sidecar);
        var askedBefore = _server.Requests;
        var refreshedAgain = await AtNextOccurrenceAsync(time, () => File.Exists(sidecar) && psl.InUse.FetchedAt == time.GetUtcNow());
        var stop = schedule.StopAsync(CancellationToken.None);
        var stopped = await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10))) == stop;

        Assert.True(failed, "the failed refresh was logged as an error");
        Assert.Contains("the refresh failed", logs.GetSnapshot().First(r => r.Level == LogLevel.Error).Message, StringComparison.Ordinal);
        Assert.True(runningAfterFailure, "the schedule still runs after a failed refresh");
        Assert.True(refreshedAgain, "the next occurrence refreshed again");
        Assert.True(_server.Requests > askedBefore);
        Assert.Equal(time.GetUtcNow(), psl.InUse.FetchedAt);
        Assert.True(stopped, "the schedule stopped when the host did");
        Assert.True(schedule.ExecuteTask.IsCompletedSuccessfully);
    }

    /// <summary>
    /// Moves the clock past the next 04:23 UTC (the default ReferenceData:Cron) until <paramref name="condition"/>
    /// holds, a few times at most: the schedule may not yet be waiting on the clock when it first moves.
    /// </summary>
    private static async Task<bool> AtNextOccurrenceAsync(FakeTimeProvider time, Func<bool> condition)
    {
        for (var round = 0; round < 3; round++)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(now.UtcDateTime.Date.AddHours(4).AddMinutes(23), TimeSpan.Zero);
            time.Advance((next > now ? next : next.AddDays(1)) - now + TimeSpan.FromSeconds(1));
            for (var until = DateTime.UtcNow.AddSeconds(5); DateTime.UtcNow < until; await Task.Delay(50))
                if (condition()) return true;
        }
        return false;
    }
}
