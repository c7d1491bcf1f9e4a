namespace Notifier.Auth;

/// <summary>
/// What a person signed in to the dashboard may do, stored on <see cref="OperatorAccount.Role"/> and carried in the
/// sign-in cookie as the role claim (checked against the account on every request, <see cref="OperatorSession"/>).
/// Each role may do what the one before it may.
/// </summary>
public static class OperatorRole
{
    /// <summary>Reads every case, queue and statistic; changes nothing.</summary>
    public const string Viewer = "viewer";

    /// <summary>Works cases: approves and cancels notices, retests, assigns, closes, manages contacts and suppressions.</summary>
    public const string Operator = "operator";

    /// <summary>Also manages operator accounts and Hangfire's jobs.</summary>
    public const string Admin = "admin";

    /// <summary>In rising order of what they may do.</summary>
    public static readonly IReadOnlyList<string> All = [Viewer, Operator, Admin];

    public static bool IsValid(string? role) => role is not null && All.Contains(role, StringComparer.Ordinal);
}
