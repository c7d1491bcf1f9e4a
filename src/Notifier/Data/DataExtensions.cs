using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Notifier.Data;

public static class DataExtensions
{
    /// <summary>
    /// The DbContext on the configured provider (SQLite embedded by default): <see cref="NotifierDb"/> is served by
    /// the provider's derived context, so its migrations are the ones that provider's context owns.
    /// </summary>
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DatabaseConnection>();
        // Read now, not through IOptions: the provider decides which context type is registered.
        switch (DatabaseProvider.Parse(builder.Configuration[$"{DatabaseOptions.Section}:Provider"]))
        {
            case DatabaseProvider.Postgres:
                builder.Services.AddDbContext<NotifierDb, PostgresNotifierDb>((sp, o) => o.UseNpgsql(sp.GetRequiredService<DatabaseConnection>().ConnectionString));
                break;
            case DatabaseProvider.SqlServer:
                builder.Services.AddDbContext<NotifierDb, SqlServerNotifierDb>((sp, o) => o.UseSqlServer(sp.GetRequiredService<DatabaseConnection>().ConnectionString));
                break;
            default:
                builder.Services.AddDbContext<NotifierDb, SqliteNotifierDb>((sp, o) => o.UseSqlite(sp.GetRequiredService<DatabaseConnection>().ConnectionString));
                break;
        }
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>The provider and its connection string, resolved once (the SQLite folder is created then, not per DbContext).</summary>
    public sealed class DatabaseConnection(IOptions<DatabaseOptions> options)
    {
        public string Provider { get; } = DatabaseProvider.Parse(options.Value.Provider);

        public string ConnectionString { get; } = DatabaseProvider.Parse(options.Value.Provider) switch
        {
            DatabaseProvider.Sqlite => SqliteConnectionString(options.Value.ConnectionString),
            DatabaseProvider.Postgres => PostgresConnectionString(options.Value.ConnectionString),
            _ => options.Value.ConnectionString,
        };
    }

    /// <summary>
    /// Npgsql resets every pooled connection it takes back with DISCARD ALL, one round trip each time a DbContext or
    /// Hangfire closes one: 16 a case while a backlog is probed (49,617 of them for 3,000 relays, issue 17). Nothing
    /// here leaves session state to reset: the named locks are pg_advisory_xact_lock (gone at commit), isolation
    /// levels are set per transaction, and nothing LISTENs or creates temporary tables. So the reset is off unless
    /// the connection string says otherwise (<c>No Reset On Close=false</c>).
    /// </summary>
    public static string PostgresConnectionString(string configured)
    {
        var csb = new NpgsqlConnectionStringBuilder(configured);
        if (!configured.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)
            && !configured.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            csb.NoResetOnClose = true;
        return csb.ToString();
    }

    /// <summary>
    /// A relative SQLite file is placed under the working directory and its folder is created. A busy timeout
    /// (Default Timeout) makes a briefly locked database wait instead of failing the request.
    /// </summary>
    public static string SqliteConnectionString(string configured)
    {
        var csb = new SqliteConnectionStringBuilder(configured);
        if (csb.DataSource != ":memory:" && !string.IsNullOrEmpty(csb.DataSource) && csb.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(csb.DataSource, Environment.CurrentDirectory);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            csb.DataSource = path;
        }
        // Microsoft.Data.Sqlite retries a busy or locked database until the command timeout (default 30 s here).
        if (!configured.Contains("Timeout", StringComparison.OrdinalIgnoreCase)) csb.DefaultTimeout = 30;
        return csb.ToString();
    }

    /// <summary>
    /// Brings the schema up to date, or refuses to start. SQLite (one node, one file) migrates at start and switches
    /// the file to WAL so readers do not block the writer. A server database is shared by every node, so its schema
    /// changes only with <c>Database:MigrateOnStart</c>; otherwise a pending migration stops this node with the script
    /// to apply (db/&lt;provider&gt;/notifier.sql), rather than run a model the database does not have.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var connection = scope.ServiceProvider.GetRequiredService<DatabaseConnection>();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (connection.Provider != DatabaseProvider.Sqlite && !options.MigrateOnStart)
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            if (pending.Count > 0) throw new PendingMigrationsException(connection.Provider, pending);
        }
        else
        {
            if (db.Database.IsSqlite()) await SqlitePageSize.ApplyToNewAsync(db, ct);
            await db.Database.MigrateAsync(ct);
        }
        await Cases.CaseAddressKey.BackfillAsync(db, ct);
        await Cases.ProbeResultStorage.CompactAsync(db, ct);
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
