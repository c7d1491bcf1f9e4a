using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cli;
using Notifier.Data;
using Notifier.Tests.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cli;

/// <summary>The <c>operator</c> verb: the same account operations as /operators, its refusals as usage errors.</summary>
public sealed class OperatorCommandTests(RolesNotifierFactory factory) : IClassFixture<RolesNotifierFactory>
{
    private async Task<string> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await OperatorCommand.RunAsync(factory.Services, args, stdout, CancellationToken.None));
        return stdout.ToString();
    }

    private async Task<OperatorAccount> AccountAsync(string name)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<NotifierDb>().Operators.AsNoTracking().SingleAsync(o => o.UserName == name);
    }

    private static string NewName() => $"cli-{Guid.NewGuid():N}"[..12];

    [Fact]
    public async Task Add_CreatesTheRoleAsked_AndPrintsAPasswordThatSignsIn()
    {
        var viewer = NewName();
        var admin = NewName();
        var plain = NewName();

        var password = (await RunAsync("add", viewer, "--role", "viewer")).Trim();
        await RunAsync("add", admin, "--admin");
        await RunAsync("add", plain);

        Assert.Equal(OperatorRole.Viewer, (await AccountAsync(viewer)).Role);
        Assert.Equal(OperatorRole.Admin, (await AccountAsync(admin)).Role);
        Assert.Equal(OperatorRole.Operator, (await AccountAsync(plain)).Role);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await DashboardSession.PostSignInAsync(DashboardSession.Browser(factory), viewer, password)).StatusCode);
    }

    [Fact]
    public async Task SetRoleDisableEnable_ChangeTheAccount_AndListShowsIt()
    {
        var name = NewName();
        await RunAsync("add", name);

        await RunAsync("set-role", name, "admin");
        await RunAsync("disable", name);
        var listed = await RunAsync("list");
        var disabled = await AccountAsync(name);
        await RunAsync("enable", name);

        Assert.Equal(OperatorRole.Admin, disabled.Role);
        Assert.NotNull(disabled.DisabledAt);
        Assert.Matches($@"{name}\s+admin\s+disabled \d{{4}}-", listed);
        Assert.Null((await AccountAsync(name)).DisabledAt);
    }

    [Fact]
    public async Task ResetPassword_PrintsANewPassword_AndEndsTheirSessions()
    {
        var (name, old) = await DashboardSession.AddOperatorAsync(factory);
        var browser = DashboardSession.Browser(factory);
        await DashboardSession.PostSignInAsync(browser, name, old);

        var password = (await RunAsync("reset-password", name)).Trim();

        Assert.NotEqual(old, password);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await DashboardSession.PostSignInAsync(DashboardSession.Browser(factory), name, password)).StatusCode);
    }

    [Theory]
    [InlineData("a role is one of viewer, operator, admin", "add", "{name}", "--role", "boss")]
    [InlineData("no operator named", "disable", "nobody-at-all")]
    [InlineData("no operator named", "set-role", "nobody-at-all", "viewer")]
    [InlineData("usage: operator add", "set-role", "{name}")]
    [InlineData("usage: operator add", "remove", "{name}")]
    [InlineData("belong to operator add", "disable", "{name}", "--role", "admin")]
    [InlineData("contradict", "add", "{name}", "--admin", "--role", "viewer")]
    public async Task Run_IsAUsageError_WhenTheInputIsBad(string message, params string[] args)
    {
        var name = NewName();

        var e = await Assert.ThrowsAsync<CliUsageException>(() =>
            OperatorCommand.RunAsync(factory.Services, [.. args.Select(a => a.Replace("{name}", name, StringComparison.Ordinal))], new StringWriter(), CancellationToken.None));

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<NotifierDb>().Operators.AnyAsync(o => o.UserName == name));
    }

    [Fact]
    public async Task Disable_IsRefused_ForTheLastEnabledAdmin_WhenEveryOtherAdminIsDisabled()
    {
        // Every other admin of this service disabled, so the new one is the last.
        var last = NewName();
        await RunAsync("add", last, "--role", "admin");
        await using (var scope = factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<NotifierDb>().Operators
                .Where(o => o.Role == OperatorRole.Admin && o.UserName != last)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.DisabledAt, DateTimeOffset.UtcNow));

        var e = await Assert.ThrowsAsync<CliUsageException>(() => OperatorCommand.RunAsync(factory.Services, ["disable", last], new StringWriter(), CancellationToken.None));

        Assert.Contains("last enabled admin", e.Message, StringComparison.Ordinal);
        Assert.Null((await AccountAsync(last)).DisabledAt);
    }
}

/// <summary>The verb as a person runs it: exit code 2 and one line on stderr for bad input.</summary>
public sealed class OperatorVerbTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("notifier-cli-").FullName;

    [Fact]
    public async Task Operator_Exits2WithTheReason_WhenTheRoleIsUnknown()
    {
        var env = new Dictionary<string, string>
        {
            ["Notifier__Database__ConnectionString"] = $"Data Source={Path.Combine(_dir, "notifier.db")}",
            ["Notifier__Probing__TokenKeyFile"] = Path.Combine(_dir, "token.key"),
        };

        var (code, stdout, stderr) = await NotifierProcess.RunAsync(["operator", "add", "someone", "--role", "boss"], env, _dir, TimeSpan.FromSeconds(60));

        Assert.Equal(2, code);
        Assert.Contains("a role is one of viewer, operator, admin", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout.Trim());
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
