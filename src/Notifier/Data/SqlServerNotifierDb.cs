using Microsoft.EntityFrameworkCore;
using Notifier.Cases;

namespace Notifier.Data;

/// <summary>
/// The model on SQL Server; its migrations are Data/Migrations/SqlServer, its script db/sqlserver/notifier.sql.
/// </summary>
public sealed class SqlServerNotifierDb(DbContextOptions<SqlServerNotifierDb> options) : NotifierDb(options)
{
    /// <summary>
    /// sp_getapplock owned by the transaction (released with it), waiting without a time limit; SQL Server's deadlock
    /// monitor still breaks a cycle through it (https://learn.microsoft.com/sql/relational-databases/system-stored-procedures/sp-getapplock-transact-sql).
    /// Names longer than the 255 characters it accepts are cut: they only serialise more.
    /// </summary>
    public override async Task TakeNamedLockAsync(string name, CancellationToken ct)
    {
        var resource = name.Length > 255 ? name[..255] : name;
        await Database.ExecuteSqlAsync($"EXEC sp_getapplock @Resource = {resource}, @LockMode = 'Exclusive', @LockOwner = 'Transaction'", ct);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // The address key's ranges and order are byte order, as on SQLite (the default collation is case-insensitive
        // and linguistic).
        modelBuilder.Entity<Case>().Property(x => x.AddressKey).UseCollation("Latin1_General_BIN2");
        // So is a search by the start of an address (a range over Address, CaseQueries.Filter).
        modelBuilder.Entity<Case>().Property(x => x.Address).UseCollation("Latin1_General_BIN2");
        // SQL Server refuses a table reachable by two cascade paths (error 1785, "may cause cycles or multiple cascade
        // paths"): a notice and an owner link are deleted with their case, and a case's contacts are too, so their
        // foreign key to the contact cannot cascade as well. EF applies the same effect to tracked rows instead
        // (ClientSetNull / ClientCascade); a contact is never deleted without its case in this code.
        modelBuilder.Entity<Notice>().HasOne<CaseContact>().WithMany().HasForeignKey(x => x.CaseContactId).OnDelete(DeleteBehavior.ClientSetNull);
        modelBuilder.Entity<OwnerLink>().HasOne<CaseContact>().WithMany().HasForeignKey(x => x.CaseContactId).OnDelete(DeleteBehavior.ClientCascade);
    }
}
