using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Notifier.Auth;

namespace Notifier.Pages;

[AllowAnonymous]
[EnableRateLimiting(AuthExtensions.SignInLimit)]
public sealed class LoginModel(OperatorAccounts accounts, IOptions<AuthOptions> options, ILogger<LoginModel> log) : PageModel
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
            // Locked, unknown and wrong all read the same to the client: "locked" after a few guesses would tell a
            // guesser which user names exist (an unknown one never locks). The admin sees which it was in the log
            // and on /operators (locked until …); a disabled account is named only after the right password.
            Error = check.Disabled
                ? "This account is disabled. An admin can enable it again at /operators."
                : $"Unknown user name or wrong password. After {options.Value.MaxFailedSignIns} wrong passwords in a row an account refuses every sign-in for a while; an admin can reset its password to end that at once.";
            var reason = check switch
            {
                { Disabled: true } => "disabled account",
                { LockedUntil: { } until } => $"locked until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC",
                { Unknown: true } => "unknown user name",
                _ => "wrong password",
            };
            // The typed name is logged only when it could name an account (no line breaks, no spaces, at most 100
            // characters, OperatorAccounts.UserNameError): a name with a line break would forge lines in a plain-text log.
            var typed = OperatorAccounts.UserNameError(UserName) is null ? UserName : "(not a valid user name)";
            log.LogWarning("Sign-in refused for {UserName} from {RemoteAddress}: {Reason}", typed, HttpContext.Connection.RemoteIpAddress, reason);
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, OperatorSession.Principal(account));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
