using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Notifier.Data;

/// <summary>The model on SQLite (the default, one node); its migrations are Data/Migrations/Sqlite.</summary>
public sealed class SqliteNotifierDb(DbContextOptions<SqliteNotifierDb> options) : NotifierDb(options)
{
    /// <summary>Nothing to take: a write transaction here is BEGIN IMMEDIATE, which already admits one writer at a time.</summary>
    public override Task TakeNamedLockAsync(string name, CancellationToken ct) => Task.CompletedTask;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset stored as text; as a long (UTC, offset 0) it can. The server
        // providers have native types for it (timestamptz, datetimeoffset), so this stays SQLite's.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
