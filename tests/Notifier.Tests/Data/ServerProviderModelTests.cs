using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Notifier.Data;
using Notifier.Jobs;

namespace Notifier.Tests.Data;

/// <summary>
/// What can be checked of the server providers without a server (SQL Server cannot run on these machines): the model
/// builds on each, its migrations cover it, the scripts in db/ are what the migrations generate today, and the
/// SQL Server job storage configures.
/// </summary>
public sealed class ServerProviderModelTests
{
    public static TheoryData<string> ServerProviders => [DatabaseProvider.Postgres, DatabaseProvider.SqlServer];

    private static NotifierDb DesignTime(string provider) => provider switch
    {
        DatabaseProvider.Postgres => new PostgresDesignTimeFactory().CreateDbContext([]),
        _ => new SqlServerDesignTimeFactory().CreateDbContext([]),
    };

    [Theory]
    [MemberData(nameof(ServerProviders))]
    public void Model_HasNoPendingChanges_AgainstTheLastMigration(string provider)
    {
        using var db = DesignTime(provider);

        Assert.NotEmpty(db.Model.GetEntityTypes());
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(),
            $"the {provider} model has changes that no migration covers: see db/README.md (migrations add with --context {db.GetType().Name})");
    }

    [Theory]
    [MemberData(nameof(ServerProviders))]
    public async Task Script_EqualsTheGeneratedScript_ForEveryMigration(string provider)
    {
        using var db = DesignTime(provider);
        var generated = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var path = DatabaseProvider.ScriptPath(provider);
        var stored = await File.ReadAllTextAsync(Path.Combine(Notifier.Tests.Lab.Lab.RepositoryRoot(), path));

        Assert.True(Normalised(generated) == Normalised(stored),
            $"{path} is out of date with the migrations: regenerate it as db/README.md says");
    }

    [Fact]
    public void SqlServerOptions_CarryTheInvisibilityTimeout_OfJobs()
    {
        var options = JobStorageFactory.SqlServerOptions(new JobsOptions { InvisibilityTimeout = TimeSpan.FromMinutes(3) });

        Assert.Equal(TimeSpan.FromMinutes(3), options.SlidingInvisibilityTimeout);
        Assert.Equal(TimeSpan.Zero, options.QueuePollInterval);
    }

    private static string Normalised(string script) => script.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\uFEFF', '\n', ' ');
}
