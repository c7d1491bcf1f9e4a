using System.ComponentModel.DataAnnotations;

namespace Notifier.Auth;

/// <summary>The <c>Auth</c> section: how hard guessing operator passwords is made. Validated at start.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Wrong passwords in a row after which an account is locked (as Identity's MaxFailedAccessAttempts).</summary>
    [Range(1, 1000)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account refuses every sign-in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts (POST /login) one client address may make per <see cref="SignInWindow"/>.</summary>
    [Range(1, 100_000)]
    public int SignInPermitLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

}
