using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Auth;

/// <summary>An admin managing accounts at /operators, and what the operator concerned notices: a role or a disabled account takes effect at once.</summary>
public sealed partial class OperatorManagementTests(RolesNotifierFactory factory) : IClassFixture<RolesNotifierFactory>
{
    private static async Task<HttpResponseMessage> ActAsync(HttpClient admin, string handler, string userName, string? role = null)
    {
        var page = await admin.GetStringAsync("/operators");
        var form = new Dictionary<string, string> { ["UserName"] = userName, ["__RequestVerificationToken"] = DashboardSession.Token(page) };
        if (role is not null) form["Role"] = role;
        return await admin.PostAsync($"/operators?handler={handler}", new FormUrlEncodedContent(form));
    }

    private async Task<OperatorAccount> AccountAsync(string name)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotifierDb>().Operators.AsNoTracking().SingleAsync(o => o.UserName == name);
    }

    [Fact]
    public async Task Disable_EndsTheirSession_AndSignInSaysDisabledOnlyWithTheRightPassword()
    {
        var admin = await DashboardSession.SignedInAsync(factory, OperatorRole.Admin);
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        var theirs = DashboardSession.Browser(factory);
        await DashboardSession.PostSignInAsync(theirs, name, password);
        Assert.Equal(HttpStatusCode.OK, (await theirs.GetAsync("/")).StatusCode);

        var disabled = await ActAsync(admin, "Disable", name);
        var after = await theirs.GetAsync("/");
        var right = await DashboardSession.PostSignInAsync(DashboardSession.Browser(factory), name, password);
        var wrong = await DashboardSession.PostSignInAsync(DashboardSession.Browser(factory), name, "wrong");

        Assert.Contains("is disabled", await disabled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull((await AccountAsync(name)).DisabledAt);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("This account is disabled", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Unknown user name or wrong password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("disabled", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enable_LetsADisabledOperatorSignInAgain()
    {
        var admin = await DashboardSession.SignedInAsync(factory, OperatorRole.Admin);
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        await ActAsync(admin, "Disable", name);

        await ActAsync(admin, "Enable", name);

        Assert.Null((await AccountAsync(name)).DisabledAt);
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardSession.PostSignInAsync(DashboardSession.Browser(factory), name, password)).StatusCode);
    }

    [Fact]
    public async Task ChangeRole_EndsTheirSession_AndTheNewRoleHolds_WhenAnOperatorBecomesViewer()
    {
        var admin = await DashboardSession.SignedInAsync(factory, OperatorRole.Admin);
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        var theirs = DashboardSession.Browser(factory);
        await DashboardSession.PostSignInAsync(theirs, name, password);

        var changed = await ActAsync(admin, "Role", name, OperatorRole.Viewer);
        var after = await theirs.GetAsync("/");
        await DashboardSession.PostSignInAsync(theirs, name, password);
        var form = await theirs.GetStringAsync("/cases/new");
        var post = await theirs.PostAsync("/cases/new?handler=One", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Address"] = "127.0.0.73",
            ["Port"] = "25",
            ["__RequestVerificationToken"] = DashboardSession.Token(form),
        }));

        Assert.Contains("is now viewer", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OperatorRole.Viewer, (await AccountAsync(name)).Role);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
    }

    [Fact]
    public async Task Add_CreatesAViewer_WhoReadsButCannotAct()
    {
        var admin = await DashboardSession.SignedInAsync(factory, OperatorRole.Admin);
        var name = $"v-{Guid.NewGuid():N}"[..12];

        var added = await ActAsync(admin, "Add", name, OperatorRole.Viewer);
        var password = PasswordRegex().Match(await added.Content.ReadAsStringAsync()).Groups[1].Value;
        var viewer = DashboardSession.Browser(factory);
        var signIn = await DashboardSession.PostSignInAsync(viewer, name, password);

        Assert.Equal(OperatorRole.Viewer, (await AccountAsync(name)).Role);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/operators")).StatusCode);
    }

    [Fact]
    public async Task Actions_ShowTheReason_WhenTheInputIsBad()
    {
        var admin = await DashboardSession.SignedInAsync(factory, OperatorRole.Admin);
        var (name, _) = await DashboardSession.AddOperatorAsync(factory);

        var badRole = await (await ActAsync(admin, "Role", name, "owner")).Content.ReadAsStringAsync();
        var unknown = await (await ActAsync(admin, "Disable", "nobody-here")).Content.ReadAsStringAsync();
        var taken = await (await ActAsync(admin, "Add", name, OperatorRole.Viewer)).Content.ReadAsStringAsync();

        Assert.Contains("a role is one of viewer, operator, admin", badRole, StringComparison.Ordinal);
        Assert.Contains("no operator named &quot;nobody-here&quot;", unknown, StringComparison.Ordinal);
        Assert.Contains("exists", taken, StringComparison.Ordinal);
        Assert.Equal(OperatorRole.Operator, (await AccountAsync(name)).Role);
    }

    [GeneratedRegex("<code class=\"new-password\">([^<]+)</code>")]
    private static partial Regex PasswordRegex();
}

/// <summary>A service of its own, so that its first admin is the only admin.</summary>
public sealed class LastAdminNotifierFactory() : NotifierFactory(new Dictionary<string, string?>());

public sealed class LastAdminTests(LastAdminNotifierFactory factory) : IClassFixture<LastAdminNotifierFactory>
{
    [Fact]
    public async Task DemoteAndDisable_AreRefused_WhenTheAccountIsTheLastEnabledAdmin()
    {
        string password;
        await using (var scope = factory.Services.CreateAsyncScope())
            password = (await scope.ServiceProvider.GetRequiredService<OperatorAccounts>().ResetPasswordAsync("admin", CancellationToken.None))!;
        var admin = DashboardSession.Browser(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardSession.PostSignInAsync(admin, "admin", password)).StatusCode);

        async Task<string> PostAsync(string handler, string? role = null)
        {
            var page = await admin.GetStringAsync("/operators");
            var form = new Dictionary<string, string> { ["UserName"] = "admin", ["__RequestVerificationToken"] = DashboardSession.Token(page) };
            if (role is not null) form["Role"] = role;
            return await (await admin.PostAsync($"/operators?handler={handler}", new FormUrlEncodedContent(form))).Content.ReadAsStringAsync();
        }

        var demote = await PostAsync("Role", OperatorRole.Operator);
        var disable = await PostAsync("Disable");

        Assert.Contains("is the last enabled admin and cannot be demoted", demote, StringComparison.Ordinal);
        Assert.Contains("is the last enabled admin and cannot be disabled", disable, StringComparison.Ordinal);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var account = await scope.ServiceProvider.GetRequiredService<NotifierDb>().Operators.AsNoTracking().SingleAsync(o => o.UserName == "admin");
            Assert.Equal(OperatorRole.Admin, account.Role);
            Assert.Null(account.DisabledAt);
        }
        // Still signed in: a refused change ends no session.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync("/operators")).StatusCode);

        // With a second enabled admin the first may step down.
        await DashboardSession.AddOperatorAsync(factory, OperatorRole.Admin);
        var stepDown = await PostAsync("Role", OperatorRole.Operator);
        Assert.DoesNotContain("last enabled admin", stepDown, StringComparison.Ordinal);
    }
}
