using System.ComponentModel.DataAnnotations;

namespace Notifier.Jobs;

/// <summary>The <c>Jobs</c> section: whether this node runs workers, and how often the dispatcher looks.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Run the Hangfire server (workers) in this process. Web and worker are one binary: <c>Node:Role</c> picks the
    /// role, and false here turns the workers off on any role (as before Node:Role existed).
    /// </summary>
    public bool RunServer { get; set; } = true;

    /// <summary>
    /// PostgreSQL and SQL Server job storage: how long a job fetched by a node that stopped heart-beating (killed,
    /// cut off) stays invisible before another node's worker takes it. Running jobs keep theirs alive, so this bounds
    /// only how late the jobs of a dead node finish elsewhere.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, 100)]
    public int WorkerCount { get; set; } = 8;

    /// <summary>
    /// Graceful shutdown (SIGTERM, <c>systemctl stop</c>, <c>docker stop</c>): the node takes no new job at once and
    /// gives the running ones (a probe in its dialogue, a notice being handed over) this long to finish and be
    /// recorded; then they are cancelled and left to the other nodes or the next start (their leases run out). The
    /// process ends at most <see cref="ShutdownGrace"/> later, so a supervisor's stop timeout (systemd's
    /// <c>TimeoutStopSec</c>, <c>docker stop -t</c>) must be above the sum.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Time after <see cref="DrainTimeout"/> for cancelled jobs to unwind before the host stops waiting.</summary>
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);

    /// <summary>Cron (5 parts, or 6 with seconds) of the dispatcher that turns due cases into jobs.</summary>
    [Required]
    public string DispatchCron { get; set; } = "* * * * *";

    /// <summary>This node's name for job leases; unique per node when several share a database.</summary>
    [Required]
    public string NodeName { get; set; } = Environment.MachineName;

    /// <summary>Added to the probe's total timeout to form its lease: a job whose node died is re-run after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A queued probe whose job has not started after this long is enqueued again (jobs are idempotent).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RequeueAfter { get; set; } = TimeSpan.FromMinutes(2);
}
