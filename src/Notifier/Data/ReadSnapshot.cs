using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Notifier.Data;

/// <summary>
/// A read-only transaction in which several queries see one committed state of the database: a page built from
/// the case row and then its contacts must not show the contacts a job has just recorded next to the case row
/// from before that job (still "looking up contacts"). Each provider needs its own way to ask for that.
/// </summary>
public static class ReadSnapshot
{
    /// <summary>Begins the snapshot; disposing the result ends it (a rollback: nothing was written) and leaves the context as it was.</summary>
    public static async Task<IAsyncDisposable> BeginAsync(NotifierDb db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (db.Database.IsSqlite())
        {
            // A deferred BEGIN takes no lock until the first read and then, in WAL mode, reads one snapshot until it
            // ends (https://sqlite.org/isolation.html); EF's BeginTransaction would issue BEGIN IMMEDIATE and take
            // the write lock every job needs.
            await db.Database.OpenConnectionAsync(ct);
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var transaction = connection.BeginTransaction(deferred: true);
            await db.Database.UseTransactionAsync(transaction, ct);
            return new Borrowed(db, transaction);
        }
        // PostgreSQL's REPEATABLE READ is a snapshot taken at the first query, and a read-only one never fails to
        // serialize (https://www.postgresql.org/docs/current/transaction-iso.html). SQL Server's snapshot isolation
        // needs a database option, so it gets SERIALIZABLE: range locks held for the few milliseconds of the reads.
        return await db.Database.BeginTransactionAsync(db.Database.IsNpgsql() ? IsolationLevel.RepeatableRead : IsolationLevel.Serializable, ct);
    }

    /// <summary>A transaction EF was handed rather than began: EF forgets it, then it is ended and the connection closed.</summary>
    private sealed class Borrowed(NotifierDb db, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.UseTransactionAsync(null);
            await transaction.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
