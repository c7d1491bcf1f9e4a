using System.Net;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;
using Notifier.ReferenceData;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.ReferenceData;

/// <summary>
/// Where the refresh runs: on every node, on its schedule, a node with no job server among them (a web node, or
/// Jobs:RunServer=false), so each node's own copies move on; and the recurring Hangfire job that once ran it on one
/// node of the cluster is gone after an upgraded node starts.
/// </summary>
public sealed class ReferenceDataScheduleTests : IAsyncLifetime
{
    /// <summary>A rule only the newly published list has: under it, the registrable domain has one more label.</summary>
    private const string NewRule = "fresh.notifier-test";

    private const string Host = "www.desk.fresh.notifier-test";

    private const string Cron = "23 4 * * *";

    /// <summary>The shipped list's publication: the list the node fetched before is that one, so it is a year too old.</summary>
    private static readonly DateTimeOffset OldListPublished = new(2023, 2, 1, 0, 0, 0, TimeSpan.Zero);

    private TestListServer _server = null!;

    public async Task InitializeAsync() => _server = await TestListServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("Jobs:RunServer", "false")]
    [InlineData("Node:Role", "web")]
    public async Task Schedule_PutsTheNewListInUseAndClearsTheReadyWarning_OnANodeWithoutAJobServer(string setting, string value)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var factory = new Factory(new Dictionary<string, string?>
        {
            [setting] = value,
            ["ReferenceData:PublicSuffixListUrl"] = _server.Url,
            ["Contacts:RdapBootstrapUrl"] = _server.RdapBootstrapUrl,
            ["ReferenceData:Cron"] = Cron,
        }, time);
        // The node fetched both just now (so nothing is due at its start): the list as it was, published 2023-02-01.
        _server.Body = await File.ReadAllBytesAsync(PublicSuffixListRefresh.ShippedPath);
        _server.LastModified = OldListPublished;
        await FetchAsync(Path.Combine(factory.Directory, "reference"), time);
        // Then publicsuffix.org publishes a new list.
        _server.Body = TestListServer.ShippedListWith(NewRule);
        _server.ETag = "\"v2\"";
        _server.LastModified = time.GetUtcNow().AddDays(-1);
        var asked = _server.Requests;
        var client = factory.CreateClient();
        var before = await CheckAsync(client);

        // Past the next 04:23 UTC; again a day later should the schedule not yet have been waiting on the clock then.
        var list = factory.Services.GetRequiredService<PublicSuffixList>();
        for (var round = 0; round < 2; round++)
        {
            time.Advance(UntilNextOccurrence(time.GetUtcNow()) + TimeSpan.FromSeconds(1));
            if (await WaitForAsync(() => list.GetRegistrableDomain(Host) == "desk.fresh.notifier-test", TimeSpan.FromSeconds(10))) break;
        }
        var after = await CheckAsync(client);

        Assert.Equal("Degraded", before.GetProperty("status").GetString());
        Assert.Contains("published 2023-02-01", before.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", after.GetProperty("status").GetString());
        Assert.Equal("desk.fresh.notifier-test", list.GetRegistrableDomain(Host));
        // One conditional GET with the validator of the copy held, not a fetch at start.
        Assert.Equal(asked + 1, _server.Requests);
        Assert.Equal("\"v1\"", _server.LastIfNoneMatch);
    }

    [Fact]
    public async Task Start_RemovesTheFormerRecurringJob_SoAnUpgradedClusterNoLongerRunsIt()
    {
        await using var factory = new NotifierFactory(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        var storage = factory.Services.GetRequiredService<JobStorage>();
        var afterStart = RecurringIds(storage);
        // What a node of the earlier version registered in the cluster's shared storage.
        factory.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<ReferenceDataJob>(ReferenceDataJob.RecurringId, j => j.RunAsync(CancellationToken.None), Cron);
        var leftByAnOldNode = RecurringIds(storage);

        factory.Services.StartReferenceData();

        Assert.DoesNotContain(ReferenceDataJob.RecurringId, afterStart);
        Assert.Contains(ReferenceDataJob.RecurringId, leftByAnOldNode);
        Assert.DoesNotContain(ReferenceDataJob.RecurringId, RecurringIds(storage));
        Assert.Contains(Notifier.Cases.CaseDispatcher.RecurringId, RecurringIds(storage));
    }

    [Theory]
    [InlineData("23 4 * *")]
    [InlineData("every day")]
    public void Start_Fails_WhenTheCronIsNotOne(string cron)
    {
        using var factory = new NotifierFactory(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false", ["ReferenceData:Cron"] = cron });

        var e = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("ReferenceData:Cron", e.Message, StringComparison.Ordinal);
    }

    private static List<string> RecurringIds(JobStorage storage)
    {
        using var connection = storage.GetConnection();
        return [.. connection.GetRecurringJobs().Select(j => j.Id)];
    }

    /// <summary>From <paramref name="now"/> to the next 04:23 UTC (<see cref="Cron"/>).</summary>
    private static TimeSpan UntilNextOccurrence(DateTimeOffset now)
    {
        var next = new DateTimeOffset(now.UtcDateTime.Date.AddHours(4).AddMinutes(23), TimeSpan.Zero);
        return (next > now ? next : next.AddDays(1)) - now;
    }

    /// <summary>Both refreshes run once into <paramref name="directory"/>, as the node did before this start.</summary>
    private async Task FetchAsync(string directory, TimeProvider time)
    {
        var services = new ServiceCollection();
        services.AddHttpClient(PublicSuffixListRefresh.HttpClientName);
        var http = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var options = Options.Create(new ReferenceDataOptions { PublicSuffixListUrl = _server.Url, Directory = directory });
        var contacts = Options.Create(new ContactsOptions { RdapBootstrapUrl = _server.RdapBootstrapUrl });
        var psl = new PublicSuffixListRefresh(http, options, contacts, PublicSuffixList.Load(PublicSuffixListRefresh.ShippedPath), time,
            NullLogger<PublicSuffixListRefresh>.Instance);
        var bootstrap = new RdapBootstrapRefresh(http, options, contacts, new RdapBootstrapSource(), time, NullLogger<RdapBootstrapRefresh>.Instance);
        Assert.Contains("replaced the list in use", await psl.RefreshAsync(CancellationToken.None), StringComparison.Ordinal);
        Assert.Contains("replaced the bootstrap in use", await bootstrap.RefreshAsync(CancellationToken.None), StringComparison.Ordinal);
    }

    /// <summary>Whether <paramref name="condition"/> held within <paramref name="limit"/> (real time: the refresh's download is real).</summary>
    private static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan limit)
    {
        for (var until = DateTime.UtcNow + limit; !condition(); await Task.Delay(50))
            if (DateTime.UtcNow > until) return false;
        return true;
    }

    private static async Task<JsonElement> CheckAsync(HttpClient client)
    {
        var r = await client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("reference-data").Clone();
    }

    /// <summary>The test service with a fake clock in place of the system clock.</summary>
    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, FakeTimeProvider time) : NotifierFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(time));
        }
    }
}
