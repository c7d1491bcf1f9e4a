using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.SqlServer;
using Microsoft.Data.SqlClient;
using Notifier.Data;

namespace Notifier.Jobs;

/// <summary>
/// Hangfire's job storage follows <c>Database:Provider</c>. On SQLite (one node) it is in memory: the database already
/// is the source of truth for what is due (Case.NextActionAt, Probe.Status), the dispatcher rebuilds the queue from it
/// at start and every run, and jobs are idempotent; Hangfire.Storage.SQLite would add a second SQLite stack
/// (SQLitePCLRaw 2.x beside EF's 3.x) at ~100 jobs/s against in-memory's thousands. On PostgreSQL and SQL Server the
/// storage lives in the same database (Hangfire's own schema, which Hangfire creates and upgrades itself), so every
/// node sees one queue: Hangfire hands each job to one worker, triggers each recurring job once per occurrence under
/// its distributed lock, and re-queues the job of a node that died after <c>Jobs:InvisibilityTimeout</c>.
/// </summary>
public static class JobStorageFactory
{
    public static JobStorage Create(string provider, string connectionString, JobsOptions jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return provider switch
        {
            DatabaseProvider.Postgres => Postgres(connectionString, jobs),
            DatabaseProvider.SqlServer => SqlServer(connectionString, jobs),
            _ => new InMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = InMemoryJobRetention }),
        };
    }

    /// <summary>
    /// How long the in-memory storage keeps a finished (succeeded or deleted) job: long enough to watch it go through on
    /// /hangfire, not a day. Every probe is a job, and a day of them stayed in the heap (about 1 KB each: 10 MB at
    /// 10,000 cases, 100 MB at 100,000, issue 17), though the database is what records each outcome (the case timeline,
    /// the probe row). Failed jobs have no expiry and stay until deleted on /hangfire.
    /// </summary>
    public static readonly TimeSpan InMemoryJobRetention = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Sliding invisibility: a running job's row is kept invisible by its worker's heartbeat, so a long probe is
    /// never handed to a second worker, while the job of a killed node becomes visible again one timeout later.
    /// </summary>
    public static PostgreSqlStorage Postgres(string connectionString, JobsOptions jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire",
            InvisibilityTimeout = jobs.InvisibilityTimeout,
            UseSlidingInvisibilityTimeout = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            PrepareSchemaIfNecessary = true,
            // A distributed lock (the dispatcher's and the inbox poll's DisableConcurrentExecution) left behind by a
            // killed node is removed after this long; the default 10 minutes stalled the cluster's dispatcher (and so
            // the re-queueing of the dead node's probes) for that long after a SIGKILL.
            DistributedLockTimeout = jobs.InvisibilityTimeout,
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    /// <summary>Hangfire.SqlServer connects at construction (it installs its schema then).</summary>
    public static SqlServerStorage SqlServer(string connectionString, JobsOptions jobs) =>
        new(() => new SqlConnection(connectionString), SqlServerOptions(jobs));

    /// <summary>The settings Hangfire.SqlServer 1.8 recommends (its documentation's "Configuration"), with our timeout.</summary>
    public static SqlServerStorageOptions SqlServerOptions(JobsOptions jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return new SqlServerStorageOptions
        {
            SchemaName = "HangFire",
            SlidingInvisibilityTimeout = jobs.InvisibilityTimeout,
            QueuePollInterval = TimeSpan.Zero,
            UseRecommendedIsolationLevel = true,
            DisableGlobalLocks = true,
            PrepareSchemaIfNecessary = true,
        };
    }
}
