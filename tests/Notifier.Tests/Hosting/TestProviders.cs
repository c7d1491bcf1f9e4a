namespace Notifier.Tests.Hosting;

/// <summary>The database providers the pipeline tests run on (issue 15: the same tests on SQLite and a real PostgreSQL).</summary>
public static class TestProviders
{
    public static TheoryData<string> All => [Notifier.Data.DatabaseProvider.Sqlite, Notifier.Data.DatabaseProvider.Postgres];
}
