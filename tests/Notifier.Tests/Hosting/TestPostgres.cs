using Microsoft.EntityFrameworkCore;
using System.Diagnostics;
using Npgsql;
using Notifier.Data;

namespace Notifier.Tests.Hosting;

/// <summary>
/// The real PostgreSQL of the tests: the cluster scripts/test.sh started (NOTIFIER_TEST_POSTGRES), or else one this
/// run starts itself with the same scripts/postgres/postgres.sh (loopback only, its own data directory, stopped when
/// the test process exits). Each user of it gets a fresh database of its own (<see cref="CreateDatabaseAsync"/>),
/// so test classes running in parallel never see each other's cases or Hangfire jobs.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<string> Server = new(Start);

    public static async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = $"notifier_test_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(Server.Value))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }
        return new TestDatabase(Server.Value, new NpgsqlConnectionStringBuilder(Server.Value) { Database = name }.ConnectionString, name);
    }

    private static string Start()
    {
        if (Environment.GetEnvironmentVariable("NOTIFIER_TEST_POSTGRES") is { Length: > 0 } configured) return configured;
        var dir = Path.Combine(Path.GetTempPath(), $"notifier-postgres-{Guid.NewGuid():N}");
        Run("start", dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Run("stop", dir);
        var env = File.ReadAllText(Path.Combine(dir, "postgres.env")).Trim();
        return env[(env.IndexOf('\'', StringComparison.Ordinal) + 1)..^1];
    }

    private static void Run(string verb, string dir)
    {
        var script = Path.Combine(Notifier.Tests.Lab.Lab.RepositoryRoot(), "scripts", "postgres", "postgres.sh");
        using var p = Process.Start(new ProcessStartInfo("bash", [script, verb, dir]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)) || p.ExitCode != 0)
            throw new InvalidOperationException($"postgres.sh {verb} failed: {output.Result}\n{error.Result}");
    }
}

/// <summary>A fresh database on the test cluster, dropped (with its connections) when disposed.</summary>
public sealed class TestDatabase(string server, string connectionString, string name) : IAsyncDisposable
{
    public string ConnectionString { get; } = connectionString;

    /// <summary>The service's settings for this database (it migrates it at start, as a first node would be told to).</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:Provider"] = DatabaseProvider.Postgres,
        ["Database:ConnectionString"] = ConnectionString,
        ["Database:MigrateOnStart"] = "true",
    };

    /// <summary>A context on this database, without a host (the caller disposes it).</summary>
    public PostgresNotifierDb Context() => new(new DbContextOptionsBuilder<PostgresNotifierDb>().UseNpgsql(ConnectionString).Options);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
