using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Notifier.Auth;

public static class AuthExtensions
{
    public const string ApiRead = "api-read";
    public const string ApiWrite = "api-write";
    public const string Operator = "operator";

    /// <summary>API keys for /api, cookies for operators in the dashboard.</summary>
    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ApiKeys>();
        builder.Services.AddScoped<OperatorAccounts>();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.Cookie.Name = "notifier.auth";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.SlidingExpiration = true;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiRead, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScope.Read, ApiScope.Write))
            .AddPolicy(ApiWrite, p => p.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, ApiScope.Write))
            .AddPolicy(Operator, p => p.AddAuthenticationSchemes(CookieAuthenticationDefaults.AuthenticationScheme).RequireAuthenticatedUser());
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
