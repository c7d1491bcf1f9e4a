using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Data;

/// <summary>
/// A database of one provider migrated as the service would have it (SQLite in WAL mode, a fresh PostgreSQL database
/// on the test cluster), with contexts on it and no host: for tests of queries and migrations on each provider.
/// Deleted (dropped) when disposed.
/// </summary>
public sealed class MigratedDatabase : IAsyncDisposable
{
    private readonly Func<NotifierDb> _context;
    private readonly IAsyncDisposable? _server;
    private readonly string? _directory;

    private MigratedDatabase(Func<NotifierDb> context, IAsyncDisposable? server, string? directory) =>
        (_context, _server, _directory) = (context, server, directory);

    /// <summary>A new context on the database (the caller disposes it).</summary>
    public NotifierDb Context() => _context();

    /// <summary>
    /// An empty database of <paramref name="provider"/> migrated to the last migration, or only as far as
    /// <paramref name="migration"/> (its name, as in <c>__EFMigrationsHistory</c> without the timestamp) to test what a
    /// later one does to rows written before it.
    /// </summary>
    public static async Task<MigratedDatabase> CreateAsync(string provider, string directoryPrefix, string? migration = null)
    {
        MigratedDatabase d;
        if (provider == DatabaseProvider.Postgres)
        {
            var pg = await TestPostgres.CreateDatabaseAsync();
            d = new MigratedDatabase(pg.Context, pg, null);
        }
        else
        {
            var directory = Directory.CreateTempSubdirectory(directoryPrefix).FullName;
            var path = Path.Combine(directory, "notifier.db");
            d = new MigratedDatabase(() => new SqliteNotifierDb(new DbContextOptionsBuilder<SqliteNotifierDb>()
                .UseSqlite(DataExtensions.SqliteConnectionString($"Data Source={path};Pooling=False")).Options), null, directory);
        }
        await d.MigrateAsync(migration);
        return d;
    }

    /// <summary>Applies the migrations up to <paramref name="migration"/> (its name), or all of them.</summary>
    public async Task MigrateAsync(string? migration = null)
    {
        await using var db = Context();
        var target = migration is null ? null : db.Database.GetMigrations().Single(m => m.EndsWith("_" + migration, StringComparison.Ordinal));
        await db.GetService<IMigrator>().MigrateAsync(target);
        // What DataExtensions.MigrateDatabaseAsync does at start, without a host to run it in.
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        if (_directory is not null) Directory.Delete(_directory, recursive: true);
    }
}
