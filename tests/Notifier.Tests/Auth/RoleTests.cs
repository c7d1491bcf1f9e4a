using System.Net;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Auth;

/// <summary>What each role may do in the dashboard: viewers read, operators act, admins also manage; the layout shows only the links each may open.</summary>
public sealed class RoleTests(RolesNotifierFactory factory) : IClassFixture<RolesNotifierFactory>
{
    private static FormUrlEncodedContent Form(string token, params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));

    [Fact]
    public async Task NewCase_OpensTheCase_WhenAnOperatorPosts_And403_WhenAViewerDoes()
    {
        var viewer = await DashboardSession.SignedInAsync(factory, OperatorRole.Viewer);
        var op = await DashboardSession.SignedInAsync(factory, OperatorRole.Operator);
        var viewerForm = await viewer.GetStringAsync("/cases/new");
        var operatorForm = await op.GetStringAsync("/cases/new");

        var refused = await viewer.PostAsync("/cases/new?handler=One", Form(DashboardSession.Token(viewerForm), ("Address", "198.51.100.71"), ("Port", "25")));
        var accepted = await op.PostAsync("/cases/new?handler=One", Form(DashboardSession.Token(operatorForm), ("Address", "127.0.0.72"), ("Port", "9")));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        Assert.False(await db.Cases.AnyAsync(c => c.Address == "198.51.100.71"));
        Assert.True(await db.Cases.AnyAsync(c => c.Address == "127.0.0.72"));
    }

    [Theory]
    [InlineData(OperatorRole.Viewer, false, false)]
    [InlineData(OperatorRole.Operator, true, false)]
    [InlineData(OperatorRole.Admin, true, true)]
    public async Task Layout_LinksJobsAndOperators_OnlyForWhoMayOpenThem(string role, bool jobs, bool operators)
    {
        var client = await DashboardSession.SignedInAsync(factory, role);

        var queue = await client.GetStringAsync("/");

        Assert.Equal(jobs, queue.Contains("href=\"/hangfire\"", StringComparison.Ordinal));
        Assert.Equal(operators, queue.Contains("href=\"/operators\"", StringComparison.Ordinal));
        Assert.Equal(jobs ? HttpStatusCode.OK : HttpStatusCode.Forbidden, (await client.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(operators ? HttpStatusCode.OK : HttpStatusCode.Forbidden, (await client.GetAsync("/operators")).StatusCode);
    }

    [Fact]
    public async Task Stats_AnswersAViewersCookie_AsTheApiReadPolicyAllows()
    {
        var viewer = await DashboardSession.SignedInAsync(factory, OperatorRole.Viewer);

        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/stats")).StatusCode);
    }

    [Fact]
    public async Task SignInCookie_IsHttpOnlyAndSameSiteLax()
    {
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        var client = DashboardSession.Browser(factory);

        var r = await DashboardSession.PostSignInAsync(client, name, password);

        var cookie = Assert.Single(r.Headers.GetValues("Set-Cookie"), c => c.StartsWith(AuthExtensions.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignedInPage_CarriesTheSecurityHeaders()
    {
        var client = await DashboardSession.SignedInAsync(factory, OperatorRole.Viewer);

        var r = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var csp = string.Join(";", r.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(r.Headers.GetValues("Referrer-Policy")));
    }
}
