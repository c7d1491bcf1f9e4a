using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Notifier.Auth;

public static class AuthExtensions
{
    public const string ApiRead = "api-read";
    public const string ApiWrite = "api-write";
    /// <summary>Any signed-in dashboard user (viewer, operator or admin): reads every page.</summary>
    public const string Viewer = "viewer";

    /// <summary>A signed-in user with the operator or the admin role: changes things (every page's POST).</summary>
    public const string Operator = "operator";

    /// <summary>A signed-in admin: operator accounts and Hangfire's job commands.</summary>
    public const string Admin = "admin";

    /// <summary>Read endpoints that both API keys and signed-in operators use (the statistics, which the dashboard charts).</summary>
    public const string ApiReadOrOperator = "api-read-or-operator";

    /// <summary>
    /// The scheme of <see cref="ApiReadOrOperator"/>: a request with an Authorization header, or without the sign-in
    /// cookie, is an API client (so its challenge is the API key's 401, not a redirect to /login); else the cookie is read.
    /// </summary>
    public const string ApiKeyOrCookieScheme = "ApiKeyOrCookie";

    public const string CookieName = "notifier.auth";

    /// <summary>The rate limiter policy of the sign-in form's POST.</summary>
    public const string SignInLimit = "sign-in";

    /// <summary>API keys for /api, cookies for operators in the dashboard.</summary>
    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<ApiKeys>();
        builder.Services.AddScoped<OperatorAccounts>();
        builder.Services.AddSingleton<IPasswordHasher<OperatorAccount>, PasswordHasher<OperatorAccount>>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                // Lax (issue 13), not Strict: a link to a case page from a mail or a chat opens signed in; the cookie
                // still stays off cross-site POSTs (RFC 6265bis 5.4.7), and every form carries an antiforgery token.
                o.Cookie.SameSite = SameSiteMode.Lax;
                // Secure whenever the request came over https, including through a proxy listed in Proxy:KnownProxies
                // (its X-Forwarded-Proto); plain http stays usable for a first start on localhost.
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.Events.OnValidatePrincipal = OperatorSession.ValidateAsync;
                // A signed-in operator without the role gets 403, not a redirect to a page that does not exist.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddPolicyScheme(ApiKeyOrCookieScheme, null, o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count == 0 && context.Request.Cookies.ContainsKey(CookieName)
                    ? CookieAuthenticationDefaults.AuthenticationScheme
                    : ApiKeyAuthenticationHandler.SchemeName);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiRead, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScope.Read, ApiScope.Write))
            .AddPolicy(ApiWrite, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScope.Write))
            .AddPolicy(ApiReadOrOperator, p => p.AddAuthenticationSchemes(ApiKeyOrCookieScheme).RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScope.Read)
                    || c.User.HasClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScope.Write)
                    || c.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme))
            .AddPolicy(Viewer, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser())
            .AddPolicy(Operator, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.CanAct()))
            .AddPolicy(Admin, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser()
                .RequireAssertion(c => c.User.IsAdmin()));
        // Password guessing: a fixed window of attempts per client address on the sign-in POST (the form's GET is
        // not limited), and the per-account lockout in OperatorAccounts for guesses spread over many addresses.
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInLimit, context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method)) return RateLimitPartition.GetNoLimiter("");
                var o = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = o.SignInPermitLimit, Window = o.SignInWindow, QueueLimit = 0 });
            });
        });
        return builder;
    }

    /// <summary>Creates the first admin when there is none and prints its password once, to the console only.</summary>
    public static async Task EnsureFirstAdminAsync(this IServiceProvider services, TextWriter console, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var password = await scope.ServiceProvider.GetRequiredService<OperatorAccounts>().EnsureFirstAdminAsync(ct);
        if (password is null) return;
        await console.WriteLineAsync($"""

            ==========================================================================
             First start: created the operator account "admin" with the password
                 {password}
             It is shown only this once. Sign in at /login and keep it safe; reset it
             with: dotnet run --project src/Notifier -- operator reset-password admin
            ==========================================================================

            """);
    }
}
