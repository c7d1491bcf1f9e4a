namespace Notifier.Auth;

/// <summary>An API key. Only a SHA-256 hash is stored: the key itself is shown once, at creation.</summary>
public sealed class ApiKey
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The key's first characters, to find it without scanning every hash.</summary>
    public required string Prefix { get; set; }

    public required string Hash { get; set; }

    /// <summary><see cref="ApiScope.Read"/> or <see cref="ApiScope.Write"/>.</summary>
    public string Scope { get; set; } = ApiScope.Write;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

public static class ApiScope
{
    public const string Read = "read";
    public const string Write = "write";
}
