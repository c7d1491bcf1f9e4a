using System.Security.Claims;
using Notifier.Auth;

namespace Notifier.Pages;

/// <summary>The signed-in person as the dashboard's pages record and check them.</summary>
public static class DeskUser
{
    /// <summary>Who did it, as case events, rules and suppressions record it: <c>operator:&lt;user name&gt;</c>.</summary>
    public static string Actor(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return $"operator:{user.Identity?.Name}";
    }

    /// <summary>
    /// Whether to show the forms that change something: operators and admins act, viewers only read. Hiding the form
    /// is for the viewer's sake; the POST itself is refused to viewers by the authorization filter, not by this.
    /// </summary>
    public static bool CanAct(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(OperatorRole.Operator) || user.IsInRole(OperatorRole.Admin);
    }
}
