using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Notifier.Data;

namespace Notifier.Cli;

/// <summary>
/// <c>backup &lt;file&gt;</c>: a consistent copy of the SQLite database while the service runs, with SQLite's
/// <c>VACUUM INTO</c> (one read transaction, so the copy is a snapshot even with writers in WAL mode; and compacted),
/// then checked with <c>PRAGMA integrity_check</c>. An existing file is never overwritten. Server databases are
/// backed up with their own tools (pg_dump, SQL Server's BACKUP DATABASE), which know their locking and replicas.
/// </summary>
public static class BackupCommand
{
    private const string Usage = "usage: backup <file>   (a copy of the SQLite database; the file must not exist)";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, CancellationToken ct)
    {
        if (args.Length != 1 || args[0].StartsWith('-')) throw new CliUsageException(Usage);
        var options = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (!string.Equals(options.Provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
            throw new CliUsageException($"backup copies SQLite databases; for {options.Provider} use its own tools (PostgreSQL: pg_dump -Fc; SQL Server: BACKUP DATABASE), which know its locking and replicas");
        var source = new SqliteConnectionStringBuilder(services.GetRequiredService<DataExtensions.DatabaseConnection>().ConnectionString);
        if (!File.Exists(source.DataSource)) throw new CliUsageException($"there is no database at {source.DataSource} (Database:ConnectionString) to back up");
        var target = Path.GetFullPath(args[0], Environment.CurrentDirectory);
        if (File.Exists(target) || Directory.Exists(target)) throw new CliUsageException($"{target} exists already; backup never overwrites a file (choose a new name)");
        if (string.Equals(target, Path.GetFullPath(source.DataSource), StringComparison.Ordinal)) throw new CliUsageException("the backup cannot be the database itself");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        await using (var connection = new SqliteConnection(source.ToString()))
        {
            await connection.OpenAsync(ct);
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $target";
            vacuum.Parameters.AddWithValue("$target", target);
            await vacuum.ExecuteNonQueryAsync(ct);
        }
        string integrity;
        await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await copy.OpenAsync(ct);
            await using var check = copy.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            integrity = Convert.ToString(await check.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) ?? "";
        }
        if (integrity != "ok")
        {
            await Console.Error.WriteLineAsync($"the copy at {target} failed SQLite's integrity check: {integrity}");
            return 1;
        }
        await stdout.WriteLineAsync(target);
        await Console.Error.WriteLineAsync($"Backed up {source.DataSource} to {target} ({new FileInfo(target).Length} bytes, integrity ok). " +
            "The keys are files of their own: keep a copy of the key folder (data/keys: probe token, DKIM and sign-in keys) with it.");
        return 0;
    }
}
