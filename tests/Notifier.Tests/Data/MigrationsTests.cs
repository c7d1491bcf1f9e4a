using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Tests.Data;

/// <summary>
/// The model and the migrations agree: a change to an entity or to <see cref="NotifierDb"/> without
/// <c>dotnet ef migrations add</c> would make a new database differ from the model the code expects
/// (EF Core's own comparison of the model with the last migration's snapshot, as
/// <c>dotnet ef migrations has-pending-model-changes</c> does it).
/// </summary>
public sealed class MigrationsTests
{
    [Fact]
    public void Model_HasNoPendingChanges_AgainstTheLastMigration()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);

        Assert.False(db.Database.HasPendingModelChanges(),
            "the EF model has changes that no migration covers: run dotnet ef migrations add <Name> --project src/Notifier --context SqliteNotifierDb --output-dir Data/Migrations/Sqlite");
    }
}
