using Microsoft.EntityFrameworkCore;

namespace Notifier.Data;

/// <summary>
/// A new SQLite database is created with 8 KB pages instead of SQLite's 4 KB. A finished probe's row (its compressed
/// result and columns) is about 2.4 KB: SQLite keeps a row whole on one leaf page, so a 4 KB page holds one and leaves
/// 1.6 KB of it empty, an 8 KB page holds three (issue 17: a closed case in at most 5 KB; 4.1 KB of probe per case
/// became 2.7). The page size is fixed when the file is first written; an existing database keeps its own (to change
/// it: <c>sqlite3 notifier.db "PRAGMA journal_mode=DELETE; PRAGMA page_size=8192; VACUUM; PRAGMA journal_mode=WAL"</c>
/// with the service stopped, docs/operations.md).
/// </summary>
public static class SqlitePageSize
{
    public const int Bytes = 8192;

    /// <summary>Creates the database file with <see cref="Bytes"/> pages when it is still empty; does nothing to a database that has pages.</summary>
    public static async Task ApplyToNewAsync(NotifierDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA page_count;";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) != 0) return;
            // Writing the header (user_version) creates the file with the page size just set, before the migrations write to it.
            command.CommandText = $"PRAGMA page_size = {Bytes}; PRAGMA user_version = 0;";
            await command.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
