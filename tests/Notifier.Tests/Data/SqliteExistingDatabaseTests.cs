using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Data;

/// <summary>
/// The SQLite migrations moved to <see cref="SqliteNotifierDb"/> (one context per provider) without a change to the
/// SQLite schema: a database migrated by the build before that move (Fixtures/sqlite-before-provider-contexts.sql,
/// <c>sqlite3 .dump</c> of it) keeps its history: none of its migrations runs again (a re-run would fail on its
/// existing tables), only migrations newer than the dump apply, and the database ends up exactly as one this build
/// creates from nothing.
/// </summary>
public sealed class SqliteExistingDatabaseTests
{
    [Fact]
    public async Task MigrateDatabaseAsync_EndsAsAFreshDatabase_WhenTheDatabaseWasMigratedBeforeTheProviderContexts()
    {
        using var factory = new DefaultNotifierFactory();
        var dump = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "sqlite-before-provider-contexts.sql"));
        await using (var connection = new SqliteConnection($"Data Source={factory.DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var load = connection.CreateCommand();
            load.CommandText = dump;
            await load.ExecuteNonQueryAsync();
        }
        var dumped = (await SchemaAsync(factory.DatabasePath)).Where(r => r.StartsWith("migration ", StringComparison.Ordinal)).ToList();
        using var fresh = new DefaultNotifierFactory();
        _ = fresh.Services;

        _ = factory.Services; // starts the service: Program migrates the database
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();

        Assert.IsType<SqliteNotifierDb>(db);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.NotEmpty(dumped);
        Assert.Equal(dumped, db.Database.GetMigrations().Take(dumped.Count).Select(m => "migration " + m));
        Assert.Equal(await SchemaAsync(fresh.DatabasePath), await SchemaAsync(factory.DatabasePath));
    }

    /// <summary>
    /// Every table, index and trigger as SQLite stores its CREATE statement, and the migration history; not EF Core's
    /// own __EFMigrationsLock, which every MigrateAsync creates to hold its lock (EF Core 9 and later).
    /// </summary>
    private static async Task<List<string>> SchemaAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master WHERE name <> '__EFMigrationsLock'
            UNION ALL SELECT 'migration ' || MigrationId FROM "__EFMigrationsHistory"
            ORDER BY 1
            """;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
