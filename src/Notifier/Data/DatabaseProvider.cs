namespace Notifier.Data;

/// <summary>
/// The values of <c>Database:Provider</c>. Each has its own derived context (<see cref="SqliteNotifierDb"/>,
/// <see cref="PostgresNotifierDb"/>, <see cref="SqlServerNotifierDb"/>) and migration set under Data/Migrations/, as
/// EF Core's "Migrations with Multiple Providers" lays it out; everything else injects <see cref="NotifierDb"/>.
/// </summary>
public static class DatabaseProvider
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";
    public const string SqlServer = "SqlServer";

    public static readonly IReadOnlyList<string> All = [Sqlite, Postgres, SqlServer];

    /// <summary>The configured provider (unset: SQLite), or a clear error naming the accepted values.</summary>
    public static string Parse(string? configured)
    {
        if (string.IsNullOrEmpty(configured)) return Sqlite;
        return All.FirstOrDefault(p => string.Equals(p, configured, StringComparison.Ordinal))
            ?? throw new InvalidOperationException(
                $"Database:Provider \"{configured}\" is not supported: use {string.Join(", ", All)} (exactly so spelled; Sqlite is the default)");
    }

    /// <summary>The folder under db/ holding the provider's idempotent script (server providers only).</summary>
    public static string ScriptPath(string provider) => provider switch
    {
        Postgres => "db/postgres/notifier.sql",
        SqlServer => "db/sqlserver/notifier.sql",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "SQLite migrates at start and has no script"),
    };
}
