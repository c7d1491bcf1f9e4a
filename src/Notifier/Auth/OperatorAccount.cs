namespace Notifier.Auth;

/// <summary>A person who works the queue in the dashboard.</summary>
public sealed class OperatorAccount
{
    public int Id { get; set; }

    public required string UserName { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash format.</summary>
    public required string PasswordHash { get; set; }

    /// <summary>One of <see cref="OperatorRole.All"/>.</summary>
    public string Role { get; set; } = OperatorRole.Operator;

    /// <summary>When an admin disabled the account: it cannot sign in, and its open sessions end. Null while enabled.</summary>
    public DateTimeOffset? DisabledAt { get; set; }

    /// <summary>
    /// A random value copied into the sign-in cookie and compared on every request (as Identity's security stamp):
    /// a password reset replaces it, so every session signed in before the reset stops working.
    /// </summary>
    public string SecurityStamp { get; set; } = OperatorAccounts.NewSecurityStamp();

    /// <summary>Wrong passwords since the last sign-in or lockout.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>Sign-in is refused until then, even with the right password.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
