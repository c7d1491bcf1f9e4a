using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Notifier.Auth;

namespace Notifier.Pages;

/// <summary>
/// Operator accounts, for admins only: who may sign in and with which role, adding an operator, changing a role,
/// disabling and enabling, and a password reset (which lifts a lockout). Every change but enabling ends that
/// operator's sessions. The role is checked against the account on every request, not only at sign-in; anyone
/// else gets 403. The work is OperatorAccounts', which the <c>operator</c> CLI verb calls too.
/// </summary>
[Authorize(Policy = AuthExtensions.Admin)]
public sealed class OperatorsModel(OperatorAccounts accounts) : PageModel
{
    [BindProperty] public string? UserName { get; set; }
    [BindProperty] public string Role { get; set; } = OperatorRole.Operator;

    public IReadOnlyList<OperatorAccount> Operators { get; private set; } = [];
    public string? Error { get; private set; }

    /// <summary>What the last action did, in words.</summary>
    public string? Done { get; private set; }

    /// <summary>The password just set, shown this once: (user name, password).</summary>
    public (string UserName, string Password)? NewPassword { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => Operators = await accounts.ListAsync(ct);

    public Task<IActionResult> OnPostAddAsync(CancellationToken ct) => ActAsync(async name =>
        NewPassword = (name, await accounts.CreateAsync(name, Role, ct)), ct);

    public Task<IActionResult> OnPostResetAsync(CancellationToken ct) => ActAsync(async name =>
        NewPassword = (name, await accounts.ResetPasswordAsync(name, ct) ?? throw new OperatorAccountException($"no operator named \"{name}\"")), ct);

    public Task<IActionResult> OnPostRoleAsync(CancellationToken ct) => ActAsync(async name =>
    {
        await accounts.SetRoleAsync(name, Role, ct);
        Done = $"{name} is now {Role}; their sessions ended.";
    }, ct);

    public Task<IActionResult> OnPostDisableAsync(CancellationToken ct) => ActAsync(async name =>
    {
        await accounts.DisableAsync(name, ct);
        Done = $"{name} is disabled; their sessions ended.";
    }, ct);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken ct) => ActAsync(async name =>
    {
        await accounts.EnableAsync(name, ct);
        Done = $"{name} is enabled.";
    }, ct);

    /// <summary>Runs one account change for the posted user name and shows the list again, with the refusal as the error.</summary>
    private async Task<IActionResult> ActAsync(Func<string, Task> change, CancellationToken ct)
    {
        var name = UserName?.Trim() ?? "";
        try
        {
            await change(name);
        }
        catch (OperatorAccountException e)
        {
            Error = e.Message;
        }
        await OnGetAsync(ct);
        return Page();
    }
}
