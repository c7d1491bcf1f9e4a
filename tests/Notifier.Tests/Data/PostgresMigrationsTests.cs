using Microsoft.EntityFrameworkCore;
using Npgsql;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Data;

/// <summary>The PostgreSQL migrations and script, applied to a real, empty PostgreSQL database (<see cref="TestPostgres"/>).</summary>
public sealed class PostgresMigrationsTests
{
    private static PostgresNotifierDb Db(TestDatabase database) =>
        new(new DbContextOptionsBuilder<PostgresNotifierDb>().UseNpgsql(database.ConnectionString).Options);

    [Fact]
    public async Task MigrateAsync_AppliesEveryMigration_WhenTheDatabaseIsEmpty()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        await using var db = Db(database);

        await db.Database.MigrateAsync();

        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        // The schema serves the model: a case and its timeline round-trip (timestamptz, identity, the C collation).
        var now = DateTimeOffset.UtcNow;
        db.Cases.Add(new Notifier.Cases.Case { Address = "192.0.2.7", Port = 25, RelayKey = "192.0.2.7:25", CreatedAt = now, UpdatedAt = now, AddressKey = Notifier.Cases.CaseAddressKey.Of("192.0.2.7") });
        await db.SaveChangesAsync();
        Assert.Equal(1, await db.Cases.CountAsync(c => c.CreatedAt <= now.AddSeconds(1)));
    }

    [Fact]
    public async Task Script_LeavesNoPendingMigration_WhenAppliedTwiceToAnEmptyDatabase()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var script = await File.ReadAllTextAsync(Path.Combine(Notifier.Tests.Lab.Lab.RepositoryRoot(), DatabaseProvider.ScriptPath(DatabaseProvider.Postgres)));
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            // Twice: the script is idempotent (db/README.md tells operators to apply it on every upgrade).
            for (var i = 0; i < 2; i++)
            {
                await using var apply = new NpgsqlCommand(script, connection);
                await apply.ExecuteNonQueryAsync();
            }
        }
        await using var db = Db(database);

        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }
}
