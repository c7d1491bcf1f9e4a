using System.ComponentModel.DataAnnotations;

namespace Notifier.Data;

/// <summary>The <c>Database</c> section: which provider holds cases and the schedule.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// <c>Sqlite</c> (embedded, the default). The model is provider-neutral; PostgreSQL and SQL Server need their
    /// migration sets and Hangfire storages, which this build does not ship yet, so they are refused at start.
    /// </summary>
    [Required, AllowedValues("Sqlite", ErrorMessage = "Database:Provider must be Sqlite (PostgreSQL and SQL Server are not wired in this build)")]
    public string Provider { get; set; } = "Sqlite";

    /// <summary>For SQLite, a relative <c>Data Source</c> is under the working directory (default <c>data/notifier.db</c>).</summary>
    [Required]
    public string ConnectionString { get; set; } = "Data Source=data/notifier.db";
}
