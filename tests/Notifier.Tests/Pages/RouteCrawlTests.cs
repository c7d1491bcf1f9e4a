using System.Net;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Data;
using Notifier.Tests.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>The service, a seeded case with its notice and reply, and one signed-in browser per role.</summary>
public sealed class CrawlFixture : IAsyncLifetime
{
    public RolesNotifierFactory Factory { get; } = new();

    public DashboardSeed Seed { get; private set; } = null!;

    private readonly Dictionary<Visitor, HttpClient> _clients = [];

    public HttpClient Client(Visitor visitor) => _clients[visitor];

    public async Task InitializeAsync()
    {
        Seed = await DashboardSeed.CreateAsync(Factory, "198.51.100.61", "crawl seed");
        _clients[Visitor.Anonymous] = DashboardSession.Browser(Factory);
        _clients[Visitor.Viewer] = await DashboardSession.SignedInAsync(Factory, OperatorRole.Viewer);
        _clients[Visitor.Operator] = await DashboardSession.SignedInAsync(Factory, OperatorRole.Operator);
        _clients[Visitor.Admin] = await DashboardSession.SignedInAsync(Factory, OperatorRole.Admin);
    }

    public async Task DisposeAsync()
    {
        foreach (var c in _clients.Values) c.Dispose();
        await Factory.DisposeAsync();
    }
}

/// <summary>
/// Every route the app has, requested anonymously and as each role: the status each answers is the table's
/// (<see cref="RouteTable"/>), and a viewer's POSTs change nothing.
/// </summary>
public sealed class RouteCrawlTests(CrawlFixture fixture) : IClassFixture<CrawlFixture>
{
    [Fact]
    public void RouteTable_ListsEveryRoute_AndOnlyRoutesThatExist()
    {
        var discovered = RouteTable.Discovered(fixture.Factory.Services);
        var listed = RouteTable.Expected.Select(e => e.Pattern).ToHashSet(StringComparer.Ordinal);

        var unlisted = discovered.Except(listed).Order(StringComparer.Ordinal).ToList();
        var stale = listed.Except(discovered).Order(StringComparer.Ordinal).ToList();

        Assert.True(unlisted.Count == 0, "routes missing from RouteTable.Expected (classify them): " + string.Join(", ", unlisted));
        Assert.True(stale.Count == 0, "RouteTable.Expected rows that match no route (remove or fix them): " + string.Join(", ", stale));
    }

    [Theory]
    [InlineData(Visitor.Anonymous)]
    [InlineData(Visitor.Viewer)]
    [InlineData(Visitor.Operator)]
    [InlineData(Visitor.Admin)]
    public async Task Get_AnswersTheTablesStatus_ForEveryRoute(Visitor visitor)
    {
        var client = fixture.Client(visitor);
        var wrong = new List<string>();

        foreach (var route in RouteTable.Expected)
        {
            var url = route.UrlFor(fixture.Seed);
            using var r = await client.GetAsync(url);
            var expected = route.Access.For(visitor);
            if ((int)r.StatusCode != expected)
                wrong.Add($"{url} ({route.Access.Name}): {(int)r.StatusCode}, expected {expected}");
            else if (expected == 302 && r.Headers.Location?.OriginalString.Contains("/login", StringComparison.Ordinal) != true)
                wrong.Add($"{url}: redirects to {r.Headers.Location}, expected /login");
        }

        Assert.True(wrong.Count == 0, $"as {visitor}:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public async Task Post_403AndChangesNothing_WhenAViewerActs()
    {
        var viewer = fixture.Client(Visitor.Viewer);
        var seed = fixture.Seed;
        var token = DashboardSession.Token(await viewer.GetStringAsync($"/cases/{seed.CaseId}"));
        var before = await StatesAsync();
        var posts = new[]
        {
            ($"/cases/{seed.CaseId}?handler=Close", new Dictionary<string, string> { ["closeReason"] = "other", ["reason"] = "viewer" }),
            ($"/cases/{seed.CaseId}?handler=Probe", new Dictionary<string, string>()),
            ($"/cases/{seed.CaseId}?handler=ApproveNotice&notice={seed.NoticeId}", new Dictionary<string, string>()),
            ($"/cases/{seed.CaseId}?handler=CancelNotice&notice={seed.NoticeId}", new Dictionary<string, string> { ["reason"] = "viewer" }),
            ("/cases/new?handler=One", new Dictionary<string, string> { ["Address"] = "198.51.100.99", ["Port"] = "25" }),
            ("/operators?handler=Add", new Dictionary<string, string> { ["UserName"] = "viewer-made", ["Role"] = OperatorRole.Admin }),
        };

        foreach (var (url, form) in posts)
        {
            form["__RequestVerificationToken"] = token;
            using var r = await viewer.PostAsync(url, new FormUrlEncodedContent(form));
            Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"POST {url}: {(int)r.StatusCode}, expected 403");
        }

        Assert.Equal(before, await StatesAsync());
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        Assert.False(await db.Cases.AnyAsync(c => c.Address == "198.51.100.99"));
        Assert.False(await db.Operators.AnyAsync(o => o.UserName == "viewer-made"));
    }

    [Fact]
    public async Task Post_SignsOut_WhenAViewerPostsLogout()
    {
        var viewer = await DashboardSession.SignedInAsync(fixture.Factory, OperatorRole.Viewer);
        var token = DashboardSession.Token(await viewer.GetStringAsync("/"));

        using var r = await viewer.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await viewer.GetAsync("/")).StatusCode);
    }

    /// <summary>The seeded case's state, probe count, events and notice state: what any of the actions would change.</summary>
    private async Task<string> StatesAsync()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == fixture.Seed.CaseId);
        var notice = await db.Notices.AsNoTracking().SingleAsync(n => n.Id == fixture.Seed.NoticeId);
        return $"{c.State} {c.NextAction} probes={await db.Probes.CountAsync(p => p.CaseId == c.Id)} events={await db.CaseEvents.CountAsync(e => e.CaseId == c.Id)} notice={notice.State}";
    }
}
