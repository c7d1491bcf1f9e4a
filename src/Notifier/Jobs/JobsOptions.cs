using System.ComponentModel.DataAnnotations;

namespace Notifier.Jobs;

/// <summary>The <c>Jobs</c> section: whether this node runs workers, and how often the dispatcher looks.</summary>
public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run the Hangfire server (workers) in this process. Web and worker are one binary; this picks the role.</summary>
    public bool RunServer { get; set; } = true;

    [Range(1, 100)]
    public int WorkerCount { get; set; } = 8;

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
