using Hangfire;
using Hangfire.States;
using Notifier.Data;
using Notifier.Jobs;

namespace Notifier.Tests.Jobs;

/// <summary>
/// On SQLite the job storage is in memory and every probe is a job: a finished job is kept minutes, not the day
/// Hangfire asks for, or a day of probes stays in the service's memory (issue 17).
/// </summary>
public sealed class InMemoryJobRetentionTests
{
    [Fact]
    public void ASucceededJob_OnTheSqliteStorage_ExpiresWithinMinutes()
    {
        TestJobStorage.Create(); // silences Hangfire's process-wide log provider, as the other storages here do
        var storage = JobStorageFactory.Create(DatabaseProvider.Sqlite, "Data Source=unused.db", new JobsOptions());
        var client = new BackgroundJobClient(storage);
        var id = client.Create(() => Console.WriteLine("probe"), new EnqueuedState());

        // The state machine expires a job entering a final state after JobExpirationTimeout (a day by default).
        Assert.True(client.ChangeState(id, new SucceededState(null, 1, 1)));

        var expireAt = storage.GetMonitoringApi().JobDetails(id).ExpireAt;
        Assert.NotNull(expireAt);
        Assert.InRange(expireAt.Value - DateTime.UtcNow, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10));
    }
}
