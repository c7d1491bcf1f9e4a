using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Notifier.Data;

/// <summary>
/// Takes rows for the rest of the current transaction when, and only when, they still meet the caller's condition: one
/// conditional UPDATE that writes a column to itself. Why: a read followed by a write is not atomic under PostgreSQL's
/// (and SQL Server's) READ COMMITTED, so two nodes can both read "queued" and both write "sending". The UPDATE takes
/// each matching row's write lock and holds it until the commit; a second transaction's UPDATE waits for that lock and
/// then evaluates its WHERE against the committed row (PostgreSQL: "the second updater … re-evaluate[s] its WHERE clause",
/// https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED), so it finds nothing once the first
/// has moved the row on. What the caller reads after taking a row is its latest committed version, and nobody else
/// changes it until this transaction ends. On SQLite the transaction is BEGIN IMMEDIATE and already serialised; the
/// UPDATE changes nothing there. The EF Core way (a conditional <c>ExecuteUpdate</c> and its row count) rather than a
/// provider's <c>SELECT … FOR UPDATE</c>, so that one code path serves every provider.
/// </summary>
public static class RowLock
{
    /// <summary>
    /// Takes the rows of <paramref name="rows"/> (the caller's condition, evaluated by the database under the lock) by
    /// setting <paramref name="column"/> to itself. Returns how many it took: 0 when none (any longer) meets the condition.
    /// Meant inside a transaction; outside one the lock ends with the statement.
    /// </summary>
    public static Task<int> TakeAsync<T, TColumn>(this IQueryable<T> rows, Expression<Func<T, TColumn>> column, CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(column);
        return rows.ExecuteUpdateAsync(s => s.SetProperty(column, column), ct);
    }
}
