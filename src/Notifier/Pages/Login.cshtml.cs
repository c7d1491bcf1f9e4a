using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Notifier.Auth;

namespace Notifier.Pages;

[AllowAnonymous]
[EnableRateLimiting(AuthExtensions.SignInLimit)]
public sealed class LoginModel(OperatorAccounts accounts) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var check = UserName is null || Password is null ? OperatorAccounts.SignInCheck.Failed : await accounts.CheckAsync(UserName, Password, ct);
        if (check.Account is not { } account)
        {
            Error = check switch
            {
                { LockedUntil: { } until } => $"Too many wrong passwords: this account is locked until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC. An admin can reset the password to unlock it now.",
                // Said only after the right password (OperatorAccounts.CheckAsync), so it tells a guesser nothing.
                { Disabled: true } => "This account is disabled. An admin can enable it again at /operators.",
                _ => "Unknown user name or wrong password.",
            };
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, OperatorSession.Principal(account));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
