using Microsoft.EntityFrameworkCore;
using Notifier.Cases;

namespace Notifier.Data;

/// <summary>
/// The model on PostgreSQL (Npgsql); its migrations are Data/Migrations/Postgres, its script db/postgres/notifier.sql.
/// DateTimeOffset maps to timestamptz, which stores UTC: every time written comes from TimeProvider.GetUtcNow (offset 0),
/// which is what Npgsql requires of a DateTimeOffset it writes.
/// </summary>
public sealed class PostgresNotifierDb(DbContextOptions<PostgresNotifierDb> options) : NotifierDb(options)
{
    /// <summary>
    /// pg_advisory_xact_lock: released at the transaction's end, never leaked by a dead node (its connection ends). The
    /// name is hashed to the lock's 64-bit key (hashtextextended, PostgreSQL 11+); a collision only serialises two names
    /// that need not be (https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS).
    /// </summary>
    public override async Task TakeNamedLockAsync(string name, CancellationToken ct) =>
        await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({name}, 0))", ct);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // The address key's ranges (CIDR filters) and order are byte order, as on SQLite's BINARY collation; "C" makes
        // them so whatever locale the database was created with.
        modelBuilder.Entity<Case>().Property(x => x.AddressKey).UseCollation("C");
        // So is a search by the start of an address (a range over Address, CaseQueries.Filter).
        modelBuilder.Entity<Case>().Property(x => x.Address).UseCollation("C");
        // A finished probe's row (about 2.4 KB with its Brotli-compressed result) stays inline: above PostgreSQL's
        // default 2 KB target the result, which pglz cannot shrink, went to TOAST as two chunks with their own tuple
        // headers and index entries (issue 17: at most 5 KB per closed case). 8160 is the largest target allowed.
        modelBuilder.Entity<Probe>().HasStorageParameter("toast_tuple_target", 8160);
    }
}
