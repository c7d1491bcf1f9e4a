using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Notifier.Auth;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Auth;

/// <summary>The service with a lockout after 3 wrong passwords, and a sign-in rate limit high enough not to interfere.</summary>
public sealed class LockoutNotifierFactory() : NotifierFactory(new Dictionary<string, string?>
{
    ["Auth:MaxFailedSignIns"] = "3",
    ["Auth:SignInPermitLimit"] = "1000",
    ["Proxy:KnownProxies:0"] = "127.0.0.1",
})
{
    /// <summary>What the service logged (the admin's view of refused sign-ins).</summary>
    public Microsoft.Extensions.Logging.Testing.FakeLogCollector Logs { get; } = new();

    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(Logs)));
    }
}

/// <summary>The operators' sign-in through the real app: sign-out, sessions ended by a reset, lockout, roles, headers.</summary>
public sealed class SignInTests(LockoutNotifierFactory factory) : IClassFixture<LockoutNotifierFactory>
{
    [Fact]
    public async Task SignOut_EndsTheSession_WhenTheLayoutFormIsPosted()
    {
        var client = await DashboardSession.SignedInAsync(factory);
        var queue = await client.GetStringAsync("/");

        var r = await client.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = DashboardSession.Token(queue),
        }));

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/login", r.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task ResetPassword_EndsSessionsSignedInBefore()
    {
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        var client = DashboardSession.Browser(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardSession.PostSignInAsync(client, name, password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/")).StatusCode);

        await using (var scope = factory.Services.CreateAsyncScope())
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<OperatorAccounts>().ResetPasswordAsync(name, CancellationToken.None));
        var after = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/login", after.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_RefusesTheRightPassword_AfterThreeWrongOnes()
    {
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        var client = DashboardSession.Browser(factory);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await DashboardSession.PostSignInAsync(client, name, $"wrong-{i}")).StatusCode);

        var right = await DashboardSession.PostSignInAsync(client, name, password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Unknown user name or wrong password", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignIn_AnswersLockedUnknownAndWrongAlike_AndLogsWhichItWas()
    {
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        var unknown = $"nobody-{Guid.NewGuid():N}"[..20];
        var client = DashboardSession.Browser(factory);

        var wrong = await AlertAsync(client, name, "wrong-0");
        var unknownFirst = await AlertAsync(client, unknown, "wrong-0");
        await AlertAsync(client, name, "wrong-1");
        await AlertAsync(client, name, "wrong-2");
        // Three wrong passwords: the account is locked now, while the unknown name, as often tried, never is.
        await AlertAsync(client, unknown, "wrong-1");
        await AlertAsync(client, unknown, "wrong-2");
        var locked = await AlertAsync(client, name, password);
        var unknownLater = await AlertAsync(client, unknown, "wrong-3");

        Assert.Contains("Unknown user name or wrong password", wrong, StringComparison.Ordinal);
        Assert.Equal(wrong, unknownFirst);
        Assert.Equal(wrong, locked);
        Assert.Equal(wrong, unknownLater);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var account = await scope.ServiceProvider.GetRequiredService<NotifierDb>().Operators.SingleAsync(o => o.UserName == name);
            Assert.NotNull(account.LockedUntil);
        }
        var refused = factory.Logs.GetSnapshot().Where(e => e.Category == typeof(Notifier.Pages.LoginModel).FullName).Select(e => e.Message).ToList();
        Assert.Contains(refused, m => m.Contains(name, StringComparison.Ordinal) && m.EndsWith("wrong password", StringComparison.Ordinal));
        Assert.Contains(refused, m => m.Contains(name, StringComparison.Ordinal) && m.Contains("locked until", StringComparison.Ordinal));
        Assert.Contains(refused, m => m.Contains(unknown, StringComparison.Ordinal) && m.EndsWith("unknown user name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RefusedSignIn_LogsNoForgedLine_WhenTheUserNameCarriesALineBreak()
    {
        var client = DashboardSession.Browser(factory);

        await AlertAsync(client, "nobody\nwarn: Notifier.Pages.LoginModel[0] Sign-in accepted for admin", "wrong");

        var refused = factory.Logs.GetSnapshot().Where(e => e.Category == typeof(Notifier.Pages.LoginModel).FullName).Select(e => e.Message).ToList();
        Assert.Contains(refused, m => m.StartsWith("Sign-in refused for (not a valid user name) from", StringComparison.Ordinal));
        Assert.DoesNotContain(refused, m => m.Contains("Sign-in accepted", StringComparison.Ordinal));
    }

    /// <summary>The error the login page shows after a sign-in with these credentials.</summary>
    private static async Task<string> AlertAsync(HttpClient client, string name, string password)
    {
        var page = await DashboardSession.PostSignInAsync(client, name, password);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var match = Regex.Match(await page.Content.ReadAsStringAsync(), "<p class=\"error\" role=\"alert\">([^<]*)</p>");
        Assert.True(match.Success, "the login page shows no error");
        return match.Groups[1].Value;
    }

    [Fact]
    public async Task SignIn_Succeeds_AfterAResetLiftsTheLockout()
    {
        var (name, _) = await DashboardSession.AddOperatorAsync(factory);
        var client = DashboardSession.Browser(factory);
        for (var i = 0; i < 3; i++) await DashboardSession.PostSignInAsync(client, name, "wrong");
        string password;
        await using (var scope = factory.Services.CreateAsyncScope())
            password = (await scope.ServiceProvider.GetRequiredService<OperatorAccounts>().ResetPasswordAsync(name, CancellationToken.None))!;

        Assert.Equal(HttpStatusCode.Redirect, (await DashboardSession.PostSignInAsync(client, name, password)).StatusCode);
    }

    [Fact]
    public async Task CheckAsync_HashesThePassword_WhenTheUserIsUnknown()
    {
        var hasher = new CountingHasher();
        await using var scope = factory.Services.CreateAsyncScope();
        var accounts = new OperatorAccounts(scope.ServiceProvider.GetRequiredService<NotifierDb>(), TimeProvider.System, hasher,
            scope.ServiceProvider.GetRequiredService<IOptions<AuthOptions>>());

        var check = await accounts.CheckAsync($"nobody-{Guid.NewGuid():N}", "guess", CancellationToken.None);

        Assert.Null(check.Account);
        Assert.Equal(1, hasher.Verifications);
    }

    [Fact]
    public async Task EveryResponse_CarriesTheSecurityHeaders()
    {
        var client = DashboardSession.Browser(factory);

        foreach (var path in new[] { "/login", "/healthz", "/site.css" })
        {
            var r = await client.GetAsync(path);
            var csp = string.Join(";", r.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(r.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("same-origin", Assert.Single(r.Headers.GetValues("Referrer-Policy")));
        }
    }

    [Fact]
    public async Task SignInCookie_IsSecure_WhenTheKnownProxySaysTheClientUsedHttps()
    {
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        var client = DashboardSession.Browser(factory);
        var login = await client.GetStringAsync("/login");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = name,
                ["Password"] = password,
                ["__RequestVerificationToken"] = DashboardSession.Token(login),
            }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var r = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var cookie = Assert.Single(r.Headers.GetValues("Set-Cookie"), c => c.StartsWith("notifier.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Operators_403_ForAnOperatorWhoIsNotAdmin()
    {
        var client = await DashboardSession.SignedInAsync(factory, role: OperatorRole.Operator);
        var queue = await client.GetStringAsync("/");

        var get = await client.GetAsync("/operators");
        var add = await client.PostAsync("/operators?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "intruder",
            ["Role"] = OperatorRole.Admin,
            ["__RequestVerificationToken"] = DashboardSession.Token(queue),
        }));

        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        await using var scope = factory.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<NotifierDb>().Operators.AnyAsync(o => o.UserName == "intruder"));
    }

    [Fact]
    public async Task Operators_AdminAddsAnOperator_WhoCanSignInWithTheShownPassword()
    {
        var admin = await DashboardSession.SignedInAsync(factory, role: OperatorRole.Admin);
        var page = await admin.GetStringAsync("/operators");
        var name = $"new-{Guid.NewGuid():N}"[..12];

        var added = await admin.PostAsync("/operators?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = name,
            ["__RequestVerificationToken"] = DashboardSession.Token(page),
        }));

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var password = Regex.Match(await added.Content.ReadAsStringAsync(), "<code class=\"new-password\">([^<]+)</code>").Groups[1].Value;
        Assert.NotEmpty(password);
        Assert.Equal(HttpStatusCode.Redirect, (await DashboardSession.PostSignInAsync(DashboardSession.Browser(factory), name, password)).StatusCode);
    }

    [Fact]
    public async Task Operators_403_AtOnce_WhenTheAdminIsDemoted()
    {
        var (name, password) = await DashboardSession.AddOperatorAsync(factory, role: OperatorRole.Admin);
        var client = DashboardSession.Browser(factory);
        await DashboardSession.PostSignInAsync(client, name, password);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/operators")).StatusCode);

        await using (var scope = factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<NotifierDb>().Operators.Where(o => o.UserName == name)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Role, OperatorRole.Operator));

        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/operators")).StatusCode);
    }

    private sealed class CountingHasher : IPasswordHasher<OperatorAccount>
    {
        private readonly PasswordHasher<OperatorAccount> _inner = new();

        public int Verifications { get; private set; }

        public string HashPassword(OperatorAccount user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(OperatorAccount user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

/// <summary>The service allowing 3 sign-in attempts per client address and window.</summary>
public sealed class RateLimitedNotifierFactory() : NotifierFactory(new Dictionary<string, string?>
{
    ["Auth:SignInPermitLimit"] = "3",
    ["Auth:SignInWindow"] = "01:00:00",
});

public sealed class SignInRateLimitTests(RateLimitedNotifierFactory factory) : IClassFixture<RateLimitedNotifierFactory>
{
    [Fact]
    public async Task SignIn_429_WhenTheClientExceedsTheLimit_EvenWithTheRightPassword()
    {
        var (name, password) = await DashboardSession.AddOperatorAsync(factory);
        var client = DashboardSession.Browser(factory);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await DashboardSession.PostSignInAsync(client, $"guess-{i}", "wrong")).StatusCode);

        var right = await DashboardSession.PostSignInAsync(client, name, password);

        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
    }
}
