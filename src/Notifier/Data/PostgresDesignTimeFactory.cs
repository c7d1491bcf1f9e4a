using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Notifier.Data;

/// <summary>
/// For <c>dotnet ef</c> only:
/// <c>dotnet ef migrations add &lt;Name&gt; --project src/Notifier --context PostgresNotifierDb --output-dir Data/Migrations/Postgres</c>,
/// and the script in db/postgres (db/README.md). Neither needs a server; the connection string is never opened.
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresNotifierDb>
{
    public PostgresNotifierDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresNotifierDb>().UseNpgsql("Host=127.0.0.1;Database=notifier_design_time").Options);
}
