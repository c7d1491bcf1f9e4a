using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Notifier.Auth;

/// <summary>
/// What an operator's sign-in cookie says (name, role, security stamp) and the check of it on every request: a
/// cookie whose stamp no longer matches the account (the password was reset, the role changed, the account was
/// disabled), whose account is gone or disabled, or whose role is no longer the account's, is rejected and removed,
/// so the browser is sent to /login.
/// </summary>
public static class OperatorSession
{
    public const string StampClaim = "notifier:security-stamp";

    public static ClaimsPrincipal Principal(OperatorAccount account) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, account.UserName),
            new Claim(ClaimTypes.Role, account.Role),
            new Claim(StampClaim, account.SecurityStamp),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<OperatorAccounts>();
        var account = await accounts.FindSessionAsync(principal?.Identity?.Name, principal?.FindFirstValue(StampClaim), context.HttpContext.RequestAborted);
        if (account is not null && principal!.IsInRole(account.Role)) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
