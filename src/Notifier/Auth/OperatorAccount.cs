namespace Notifier.Auth;

/// <summary>A person who works the queue in the dashboard.</summary>
public sealed class OperatorAccount
{
    public int Id { get; set; }

    public required string UserName { get; set; }

    /// <summary>ASP.NET Core Identity's PBKDF2 hash format.</summary>
    public required string PasswordHash { get; set; }

    public bool IsAdmin { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
