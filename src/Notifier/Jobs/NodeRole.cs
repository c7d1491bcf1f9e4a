namespace Notifier.Jobs;

/// <summary>The values of <c>Node:Role</c> and what each means for this process.</summary>
public static class NodeRole
{
    public const string All = "all";
    public const string Web = "web";
    public const string Worker = "worker";

    /// <summary>The configured role (unset: all), or a clear error naming the accepted values.</summary>
    public static string Parse(string? configured) => configured switch
    {
        null or "" => All,
        All or Web or Worker => configured,
        _ => throw new InvalidOperationException($"Node:Role \"{configured}\" is not a role: use all, web or worker"),
    };

    /// <summary>Whether this process runs Hangfire workers: not on a web node, and not with Jobs:RunServer=false.</summary>
    public static bool RunsJobs(string role, JobsOptions jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        return role != Web && jobs.RunServer;
    }

    /// <summary>Whether this process answers the dashboard and the API (a worker answers health checks only).</summary>
    public static bool ServesWeb(string role) => role != Worker;
}
