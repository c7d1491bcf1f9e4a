using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.ReferenceData;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.ReferenceData;

/// <summary>
/// The Public Suffix List kept fresh from a loopback server: a valid download replaces the list in use and is
/// stored (and used again after a restart), an unchanged one is a 304, a broken one keeps the copy in use, and
/// /healthz/ready warns about an old copy until a fresh one is in use (the start refresh of a node that runs no job server).
/// </summary>
public sealed class PublicSuffixListRefreshTests : IAsyncLifetime
{
    /// <summary>A rule only the served list has: under it, the registrable domain has one more label.</summary>
    private const string ServedRule = "suffix.notifier-test";

    private const string Host = "www.desk.suffix.notifier-test";

    private readonly string _directory = Directory.CreateTempSubdirectory("notifier-psl-").FullName;
    private TestListServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await TestListServer.StartAsync();
        _server.Body = TestListServer.ShippedListWith(ServedRule);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private (PublicSuffixListRefresh Refresh, PublicSuffixList List) Create()
    {
        var list = PublicSuffixList.Load(PublicSuffixListRefresh.ShippedPath);
        var services = new ServiceCollection();
        services.AddHttpClient(PublicSuffixListRefresh.HttpClientName);
        var http = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        var refresh = new PublicSuffixListRefresh(http,
            Options.Create(new ReferenceDataOptions { PublicSuffixListUrl = _server.Url, Directory = _directory }),
            Options.Create(new ContactsOptions()), list, TimeProvider.System, NullLogger<PublicSuffixListRefresh>.Instance);
        refresh.Load();
        return (refresh, list);
    }

    [Fact]
    public async Task Refresh_PutsTheDownloadInUseAndStoresIt_WhenItIsAValidList()
    {
        var (refresh, list) = Create();
        var before = list.GetRegistrableDomain(Host);

        var outcome = await refresh.RefreshAsync(CancellationToken.None);
        var (_, afterRestart) = Create();

        Assert.Equal("suffix.notifier-test", before);
        Assert.Contains("replaced the list in use", outcome, StringComparison.Ordinal);
        Assert.Equal("desk.suffix.notifier-test", list.GetRegistrableDomain(Host));
        Assert.Equal("desk.suffix.notifier-test", afterRestart.GetRegistrableDomain(Host));
        Assert.Equal(_server.Url, refresh.InUse.Origin);
        Assert.Equal(_server.LastModified.ToUnixTimeSeconds(), refresh.InUse.PublishedAt.ToUnixTimeSeconds());
        Assert.Equal(_server.Body, await File.ReadAllBytesAsync(Path.Combine(_directory, PublicSuffixListRefresh.FileName)));
    }

    [Fact]
    public async Task Refresh_AsksConditionally_AndKeepsTheCopy_WhenTheListIsUnchanged()
    {
        var (refresh, list) = Create();
        await refresh.RefreshAsync(CancellationToken.None);

        var outcome = await refresh.RefreshAsync(CancellationToken.None);

        Assert.Equal("\"v1\"", _server.LastIfNoneMatch);
        Assert.Contains("unchanged (304)", outcome, StringComparison.Ordinal);
        Assert.Equal("desk.suffix.notifier-test", list.GetRegistrableDomain(Host));
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("html")]
    [InlineData("500")]
    [InlineData("no-com")]
    public async Task Refresh_KeepsTheCopyInUse_WhenTheDownloadIsBroken(string broken)
    {
        var (refresh, list) = Create();
        await refresh.RefreshAsync(CancellationToken.None);
        var stored = await File.ReadAllBytesAsync(Path.Combine(_directory, PublicSuffixListRefresh.FileName));
        _server.ETag = "\"v2\"";
        switch (broken)
        {
            case "truncated": _server.Body = _server.Body[..4000]; break;
            case "html": _server.Body = "<html><body>Service Unavailable</body></html>"u8.ToArray(); break;
            case "500": _server.Status = 500; break;
            default:
                _server.Body = System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(_server.Body).Replace("\nco.uk\n", "\n", StringComparison.Ordinal));
                break;
        }

        var outcome = await refresh.RefreshAsync(CancellationToken.None);
        var (_, afterRestart) = Create();

        Assert.Contains("kept the copy in use", outcome, StringComparison.Ordinal);
        Assert.Equal("desk.suffix.notifier-test", list.GetRegistrableDomain(Host));
        Assert.Equal("desk.suffix.notifier-test", afterRestart.GetRegistrableDomain(Host));
        Assert.Equal(stored, await File.ReadAllBytesAsync(Path.Combine(_directory, PublicSuffixListRefresh.FileName)));
        Assert.Equal("\"v1\"", refresh.InUse.ETag);
    }

    [Fact]
    public async Task Ready_WarnsOfTheShippedCopies_WhileNoUrlIsSet()
    {
        await using var factory = new NotifierFactory(new Dictionary<string, string?> { ["Jobs:RunServer"] = "false" });
        var client = factory.CreateClient();

        var check = await CheckAsync(client);

        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("published 2023-02-01", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("ReferenceData:PublicSuffixListUrl", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        // The shipped bootstrap (2019) too, naming its setting.
        Assert.Contains("the RDAP bootstrap in use (shipped IANA bootstrap", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("Contacts:RdapBootstrapUrl", check.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_ClearsTheWarning_OnceTheStartRefreshHasRun_OnANodeWithoutAJobServer()
    {
        await using var factory = new NotifierFactory(new Dictionary<string, string?>
        {
            ["Jobs:RunServer"] = "false",
            ["ReferenceData:PublicSuffixListUrl"] = _server.Url,
            ["Contacts:RdapBootstrapUrl"] = _server.RdapBootstrapUrl,
        });
        var client = factory.CreateClient();
        using (var scope = factory.Services.CreateScope())
        {
            // The factory's own folder: a copy stored by another test must not be what this service starts with.
            Assert.StartsWith(factory.Directory, scope.ServiceProvider.GetRequiredService<PublicSuffixListRefresh>().StoredPath, StringComparison.Ordinal);
        }

        // Nothing was ever fetched from the URLs, so the start refreshes at once rather than at 04:23.
        var list = factory.Services.GetRequiredService<PublicSuffixList>();
        var bootstrap = factory.Services.GetRequiredService<RdapBootstrapRefresh>();
        for (var until = DateTime.UtcNow.AddSeconds(15); (list.GetRegistrableDomain(Host) != "desk.suffix.notifier-test" || bootstrap.InUse.Count == 0) && DateTime.UtcNow < until;)
            await Task.Delay(50);
        var check = await CheckAsync(client);

        Assert.Equal("Healthy", check.GetProperty("status").GetString());
        Assert.Equal("desk.suffix.notifier-test", list.GetRegistrableDomain(Host));
        Assert.Equal(1, _server.Requests);
    }

    private static async Task<JsonElement> CheckAsync(HttpClient client)
    {
        var r = await client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("reference-data").Clone();
    }
}
