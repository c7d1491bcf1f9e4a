using System.Security.Claims;

namespace Notifier.Pages;

/// <summary>The signed-in person as the dashboard's pages record them (what they may do: Auth/OperatorPermissions).</summary>
public static class DeskUser
{
    /// <summary>Who did it, as case events, rules and suppressions record it: <c>operator:&lt;user name&gt;</c>.</summary>
    public static string Actor(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return $"operator:{user.Identity?.Name}";
    }
}
