using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;
using Notifier.ReferenceData;

namespace Notifier.Tests.ReferenceData;

/// <summary>
/// The RDAP bootstrap kept fresh from a loopback server as the Public Suffix List is: a valid download is put in use
/// and stored (and used again after a restart without asking), an unchanged one is a 304, a broken or older one keeps
/// the copy in use and says so in the lookups' evidence, and with nothing stored the shipped copy answers.
/// </summary>
public sealed class RdapBootstrapRefreshTests : IAsyncLifetime
{
    private static readonly IPAddress Covered = IPAddress.Parse("192.0.2.7");

    private readonly string _directory = Directory.CreateTempSubdirectory("notifier-rdap-bootstrap-").FullName;
    private TestListServer _server = null!;

    public async Task InitializeAsync() => _server = await TestListServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A process's refresh and bootstrap, loaded from the directory as at start.</summary>
    private (RdapBootstrapRefresh Refresh, RdapBootstrapSource Source) Start()
    {
        var services = new ServiceCollection();
        services.AddHttpClient(PublicSuffixListRefresh.HttpClientName);
        var source = new RdapBootstrapSource();
        var refresh = new RdapBootstrapRefresh(services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>(),
            Options.Create(new ReferenceDataOptions { Directory = _directory }), Options.Create(new ContactsOptions { RdapBootstrapUrl = _server.RdapBootstrapUrl }),
            source, TimeProvider.System, NullLogger<RdapBootstrapRefresh>.Instance);
        refresh.Load();
        return (refresh, source);
    }

    private static Uri? RegistryOf(RdapBootstrapSource source) => source.Current.Bootstrap.Find(Covered)?.Server;

    [Fact]
    public async Task Refresh_PutsTheDownloadInUseAndStoresIt_AndARestartUsesItWithoutAsking()
    {
        var (refresh, source) = Start();
        var before = RegistryOf(source);

        var outcome = await refresh.RefreshAsync(CancellationToken.None);
        var asked = _server.BootstrapRequests;
        var (restarted, afterRestart) = Start();

        // The shipped (IANA) bootstrap gives 192.0.0.0/8 to ARIN.
        Assert.Equal(new Uri("https://rdap.arin.net/registry/"), before);
        Assert.Contains("replaced the bootstrap in use", outcome, StringComparison.Ordinal);
        Assert.Equal(new Uri(TestListServer.Registry), RegistryOf(source));
        Assert.Equal(new Uri(TestListServer.Registry), RegistryOf(afterRestart));
        Assert.Equal(asked, _server.BootstrapRequests);
        Assert.StartsWith(_server.RdapBootstrapUrl, afterRestart.InUse.Origin, StringComparison.Ordinal);
        Assert.Equal(_server.BootstrapPublished.ToUnixTimeSeconds(), afterRestart.InUse.PublishedAt!.Value.ToUnixTimeSeconds());
        Assert.True(File.Exists(Path.Combine(_directory, "ipv4.json")) && File.Exists(Path.Combine(_directory, "ipv6.json.json")));
        Assert.False(restarted.IsDue(DateTimeOffset.UtcNow));
        Assert.True(restarted.IsDue(DateTimeOffset.UtcNow.AddDays(2)));
    }

    [Fact]
    public async Task Refresh_AsksConditionally_AndKeepsTheBootstrap_WhenUnchanged()
    {
        var (refresh, source) = Start();
        await refresh.RefreshAsync(CancellationToken.None);

        var outcome = await refresh.RefreshAsync(CancellationToken.None);

        Assert.Equal("\"b1\"", _server.LastBootstrapIfNoneMatch);
        Assert.Contains("unchanged (304)", outcome, StringComparison.Ordinal);
        Assert.Equal(new Uri(TestListServer.Registry), RegistryOf(source));
        Assert.Null(source.Current.Note);
    }

    [Theory]
    [InlineData("500")]
    [InlineData("html")]
    [InlineData("ipv4-in-ipv6")]
    [InlineData("no-publication")]
    [InlineData("older")]
    public async Task Refresh_KeepsTheCopyInUse_AndNotesWhy_WhenTheDownloadIsBroken(string broken)
    {
        var (refresh, source) = Start();
        await refresh.RefreshAsync(CancellationToken.None);
        var stored = await File.ReadAllBytesAsync(Path.Combine(_directory, "ipv6.json"));
        _server.BootstrapETag = "\"b2\"";
        switch (broken)
        {
            case "500": _server.Status = 500; break;
            case "html": _server.Ipv6Body = "<html><body>Service Unavailable</body></html>"; break;
            case "ipv4-in-ipv6": _server.Ipv6Body = """{ "publication": "2026-01-01T00:00:00Z", "services": [ [["198.51.100.0/24"], ["https://elsewhere.test/"]] ] }"""; break;
            case "no-publication": _server.Ipv6Body = """{ "services": [ [["2001:db8::/32"], ["https://elsewhere.test/"]] ] }"""; break;
            default: _server.BootstrapPublished = _server.BootstrapPublished.AddDays(-30); break;
        }

        var outcome = await refresh.RefreshAsync(CancellationToken.None);
        var (_, afterRestart) = Start();

        Assert.Contains("kept the copy in use", outcome, StringComparison.Ordinal);
        Assert.Equal(new Uri(TestListServer.Registry), RegistryOf(source));
        Assert.Equal(new Uri(TestListServer.Registry), RegistryOf(afterRestart));
        Assert.Equal(stored, await File.ReadAllBytesAsync(Path.Combine(_directory, "ipv6.json")));
        Assert.Contains("using the copy in use", source.Current.Note!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_LeavesTheShippedCopyInUse_WhenNothingIsStoredAndTheUrlFails()
    {
        var (refresh, source) = Start();
        _server.Status = 503;

        var outcome = await refresh.RefreshAsync(CancellationToken.None);

        Assert.Contains("answered 503", outcome, StringComparison.Ordinal);
        Assert.Same(RdapBootstrapSource.Shipped, source.InUse);
        Assert.Equal(new Uri("https://rdap.db.ripe.net/"), source.InUse.Find(IPAddress.Parse("193.0.6.139"))!.Value.Server);
        Assert.Contains("using the copy in use (shipped IANA bootstrap", source.Current.Note!.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory));
    }
}
