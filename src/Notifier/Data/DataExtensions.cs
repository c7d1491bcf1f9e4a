using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Notifier.Data;

public static class DataExtensions
{
    /// <summary>The DbContext on the configured provider (SQLite embedded by default).</summary>
    public static IHostApplicationBuilder AddData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<DatabaseConnection>();
        builder.Services.AddDbContext<NotifierDb>((sp, o) => o.UseSqlite(sp.GetRequiredService<DatabaseConnection>().ConnectionString));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>The connection string, resolved once (the folder is created then, not per DbContext).</summary>
    public sealed class DatabaseConnection(IOptions<DatabaseOptions> options)
    {
        public string ConnectionString { get; } = SqliteConnectionString(options.Value.ConnectionString);
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

    /// <summary>Applies migrations at start (SQLite is single-node) and switches the file to WAL so readers do not block the writer.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        await db.Database.MigrateAsync(ct);
        await Cases.CaseAddressKey.BackfillAsync(db, ct);
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
