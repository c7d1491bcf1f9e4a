using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Notifier.Data;

/// <summary>
/// A save refused by a unique index, on whichever provider: with several nodes on one database, two of them can
/// insert the same key at once (each looked first and found nothing); the database lets one win and refuses the
/// other, which then finds the winner's row when it looks again.
/// </summary>
public static class UniqueViolation
{
    public static bool Is(DbUpdateException e) => e?.InnerException switch
    {
        // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555), https://sqlite.org/rescode.html
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } => true,
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        // 2601: duplicate key row in a unique index; 2627: violation of a UNIQUE or PRIMARY KEY constraint
        SqlException { Number: 2601 or 2627 } => true,
        _ => false,
    };
}
