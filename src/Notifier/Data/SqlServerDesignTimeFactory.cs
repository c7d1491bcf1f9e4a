using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Notifier.Data;

/// <summary>
/// For <c>dotnet ef</c> only:
/// <c>dotnet ef migrations add &lt;Name&gt; --project src/Notifier --context SqlServerNotifierDb --output-dir Data/Migrations/SqlServer</c>,
/// and the script in db/sqlserver (db/README.md). Neither needs a server; the connection string is never opened.
/// </summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerNotifierDb>
{
    public SqlServerNotifierDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerNotifierDb>().UseSqlServer("Server=127.0.0.1;Database=notifier_design_time;TrustServerCertificate=True").Options);
}
