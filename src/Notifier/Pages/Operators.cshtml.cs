using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Data;

namespace Notifier.Pages;

/// <summary>
/// Operator accounts, for admins only: who may sign in, adding an operator, and a password reset (which ends that
/// operator's sessions and lifts a lockout). The role is checked here, against the account on every request, not
/// only at sign-in; anyone else gets 403.
/// </summary>
[Authorize(Policy = AuthExtensions.Admin)]
public sealed class OperatorsModel(NotifierDb db, OperatorAccounts accounts) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string Role { get; set; } = OperatorRole.Operator;

    public IReadOnlyList<OperatorAccount> Operators { get; private set; } = [];
    public string? Error { get; private set; }

    /// <summary>The password just set, shown this once: (user name, password).</summary>
    public (string UserName, string Password)? NewPassword { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) =>
        Operators = await db.Operators.AsNoTracking().OrderBy(o => o.UserName).ToListAsync(ct);

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        var name = UserName?.Trim();
        if (OperatorAccounts.UserNameError(name) is { } error) Error = $"userName: {error}";
        else if (!OperatorRole.IsValid(Role)) Error = $"role: one of {string.Join(", ", OperatorRole.All)}";
        else if (await db.Operators.AnyAsync(o => o.UserName == name, ct)) Error = $"userName: an operator named \"{name}\" exists";
        else
        {
            var password = OperatorAccounts.NewPassword();
            await accounts.AddAsync(name!, password, Role, ct);
            NewPassword = (name!, password);
        }
        await OnGetAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostResetAsync(string? userName, CancellationToken ct)
    {
        var password = userName is null ? null : await accounts.ResetPasswordAsync(userName, ct);
        if (password is null) Error = $"userName: no operator named \"{userName}\"";
        else NewPassword = (userName!, password);
        await OnGetAsync(ct);
        return Page();
    }
}
