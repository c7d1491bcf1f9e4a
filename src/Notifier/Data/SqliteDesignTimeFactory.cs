using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Notifier.Data;

/// <summary>
/// For <c>dotnet ef</c> only:
/// <c>dotnet ef migrations add &lt;Name&gt; --project src/Notifier --context SqliteNotifierDb --output-dir Data/Migrations/Sqlite</c>.
/// Adding migrations needs no database; the file below is never opened.
/// </summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteNotifierDb>
{
    public SqliteNotifierDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite("Data Source=design-time.db").Options);
}
