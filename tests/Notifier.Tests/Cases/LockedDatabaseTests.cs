using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>A database another process holds locked: the API says so (503) and stores nothing half; afterwards all works.</summary>
public sealed class LockedDatabaseTests : IDisposable
{
    private readonly NotifierFactory _factory;
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"notifier-locked-{Guid.NewGuid():N}.db");

    public LockedDatabaseTests()
    {
        // A short busy timeout so the test does not wait the production 30 s.
        _factory = new NotifierFactory(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = $"Data Source={_database};Default Timeout=2",
            ["Jobs:RunServer"] = "false",
        });
    }

    public void Dispose()
    {
        _factory.Dispose();
        foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_database + suffix);
    }

    [Fact]
    public async Task PostCase_503ThenSucceeds_WhenDatabaseIsLockedThenReleased()
    {
        var client = await _factory.ClientWithKeyAsync();
        var path = new SqliteConnectionStringBuilder(_factory.Services.GetRequiredService<Notifier.Data.DataExtensions.DatabaseConnection>().ConnectionString).DataSource;

        HttpResponseMessage locked;
        await using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE;";
                await begin.ExecuteNonQueryAsync();
            }
            locked = await client.PostAsJsonAsync("/api/cases", new { address = "77.88.6.6", source = "locked" });
        }
        var after = await client.PostAsJsonAsync("/api/cases", new { address = "77.88.6.6", source = "locked" });
        var list = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/cases?q=77.88.6.6");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, locked.StatusCode);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }

    /// <summary>
    /// The same on PostgreSQL: another session holds the cases table locked past the command timeout (a migration,
    /// a long maintenance statement), the API says 503 and stores nothing; once the lock is gone the report is stored.
    /// </summary>
    [Fact]
    public async Task PostCase_503ThenSucceeds_WhenPostgresTableIsLockedThenReleased()
    {
        await using var database = await TestPostgres.CreateDatabaseAsync();
        var settings = new Dictionary<string, string?>(database.Settings) { ["Jobs:RunServer"] = "false" };
        // A short command timeout so the test does not wait the production 30 s.
        settings["Database:ConnectionString"] = database.ConnectionString + ";Command Timeout=2";
        await using var factory = new NotifierFactory(settings);
        var client = await factory.ClientWithKeyAsync();

        HttpResponseMessage locked;
        await using (var holder = new Npgsql.NpgsqlConnection(database.ConnectionString))
        {
            await holder.OpenAsync();
            await using var tx = await holder.BeginTransactionAsync();
            await using (var lockTable = new Npgsql.NpgsqlCommand("""LOCK TABLE "Cases" IN ACCESS EXCLUSIVE MODE""", holder, tx))
                await lockTable.ExecuteNonQueryAsync();
            locked = await client.PostAsJsonAsync("/api/cases", new { address = "77.88.6.7", source = "locked" });
            await tx.RollbackAsync();
        }
        var after = await client.PostAsJsonAsync("/api/cases", new { address = "77.88.6.7", source = "locked" });
        var list = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/cases?q=77.88.6.7");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, locked.StatusCode);
        Assert.Equal("application/problem+json", locked.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Equal(1, list.GetProperty("total").GetInt32());
    }
}
