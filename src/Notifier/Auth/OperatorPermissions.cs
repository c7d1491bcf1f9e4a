using System.Security.Claims;

namespace Notifier.Auth;

/// <summary>
/// What a signed-in dashboard user may do, read from the role claim of the sign-in cookie (which
/// <see cref="OperatorSession"/> checks against the account on every request). The policies in
/// <see cref="AuthExtensions"/> and the pages' "show this form?" checks both ask here, so the rule is written once.
/// </summary>
public static class OperatorPermissions
{
    /// <summary>Changes cases, contacts, suppressions and templates: the operator role and the admin role. A viewer only reads.</summary>
    public static bool CanAct(this ClaimsPrincipal user) =>
        user.IsInRole(OperatorRole.Operator) || user.IsInRole(OperatorRole.Admin);

    /// <summary>Manages operator accounts and Hangfire's jobs.</summary>
    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(OperatorRole.Admin);
}
