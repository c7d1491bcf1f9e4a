using System.ComponentModel.DataAnnotations;

namespace Notifier.Data;

/// <summary>The <c>Database</c> section: which provider holds cases (and, on a server provider, the job storage).</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// <c>Sqlite</c> (embedded, one node, the default), <c>Postgres</c> or <c>SqlServer</c> (any number of nodes
    /// sharing the database and Hangfire's job storage in it). Read while services are registered
    /// (<see cref="DatabaseProvider.Parse"/> refuses anything else with the accepted values).
    /// </summary>
    [Required, AllowedValues(DatabaseProvider.Sqlite, DatabaseProvider.Postgres, DatabaseProvider.SqlServer,
        ErrorMessage = "Database:Provider must be Sqlite, Postgres or SqlServer")]
    public string Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// For SQLite, a relative <c>Data Source</c> is under the working directory (default <c>data/notifier.db</c>);
    /// for PostgreSQL an Npgsql connection string (<c>Host=…;Database=…;Username=…</c>), for SQL Server a
    /// Microsoft.Data.SqlClient one.
    /// </summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/notifier.db";

    /// <summary>
    /// Server providers only: apply pending migrations at start. Off by default, since several nodes share the
    /// database and a schema change is reviewed and applied once (db/&lt;provider&gt;/notifier.sql); a node then
    /// refuses to start while a migration is pending. SQLite (one node, one file) always migrates at start.
    /// </summary>
    public bool MigrateOnStart { get; set; }
}
