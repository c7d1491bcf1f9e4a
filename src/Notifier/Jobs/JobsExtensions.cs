using Hangfire;
using Hangfire.AspNetCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Notifier.Jobs;

public static class JobsExtensions
{
    /// <summary>
    /// Hangfire on the storage of the configured provider (<see cref="JobStorageFactory"/>), and this node's role
    /// (<c>Node:Role</c>): whether it runs workers, and whether it serves the dashboard and API.
    /// </summary>
    public static IHostApplicationBuilder AddJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<JobsOptions>()
            .BindConfiguration(JobsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The storage is this host's own service, not Hangfire's static JobStorage.Current, so two hosts in one
        // process (the tests' WebApplicationFactory instances) never pick up each other's jobs.
        builder.Services.AddOptions<NodeOptions>()
            .BindConfiguration(NodeOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<JobStorage>(sp => JobStorageFactory.Create(
            sp.GetRequiredService<Data.DataExtensions.DatabaseConnection>().Provider,
            sp.GetRequiredService<Data.DataExtensions.DatabaseConnection>().ConnectionString,
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<JobsOptions>>().Value));
        // The same for the activator: AddHangfire registers the static JobActivator.Current, which every host in the
        // process overwrites with its own; once the last host to set it is disposed, the other hosts' jobs fail with
        // "Cannot access a disposed object: IServiceProvider" (Hangfire.NetCore HangfireServiceCollectionExtensions).
        builder.Services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire(c => c
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());
        var options = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        // Read now, not through IOptions: the role decides what is registered.
        var role = NodeRole.Parse(builder.Configuration[$"{NodeOptions.Section}:Role"]);
        if (!NodeRole.ServesWeb(role)) builder.Services.AddSingleton<IStartupFilter, WorkerNodeFilter>();
        if (NodeRole.RunsJobs(role, options))
        {
            builder.Services.AddHangfireServer(s =>
            {
                s.WorkerCount = options.WorkerCount;
                s.ServerName = options.NodeName;
                s.SchedulePollingInterval = TimeSpan.FromSeconds(1);
                // Hangfire's stop: workers fetch nothing new once it is asked, a running job's CancellationToken fires
                // StopTimeout later, and the server gives up on its workers at ShutdownTimeout (both from the request).
                s.StopTimeout = options.DrainTimeout;
                s.ShutdownTimeout = options.DrainTimeout + JobsOptions.ShutdownGrace / 2;
            });
            // The host waits for its hosted services (Hangfire's among them) only HostOptions.ShutdownTimeout (30 s by
            // default) and then exits with the jobs still running; it must outlast the drain.
            builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.DrainTimeout + JobsOptions.ShutdownGrace);
        }
        builder.Services.AddHealthChecks().AddCheck<JobStorageHealthCheck>("jobs");
        return builder;
    }

    /// <summary>
    /// Degraded when this node should run jobs (its Node:Role is not web and Jobs:RunServer is true) but no Hangfire server of this node is registered in
    /// the job storage: then nothing is probed, looked up or sent, though the dashboard and API still answer.
    /// Hangfire registers a server under "name:process:guid" and removes it when it stops or misses its heartbeats.
    /// </summary>
    private sealed class JobStorageHealthCheck(JobStorage storage, Microsoft.Extensions.Options.IOptions<JobsOptions> options, Microsoft.Extensions.Options.IOptions<NodeOptions> node) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var monitoring = storage.GetMonitoringApi();
            var stats = monitoring.GetStatistics();
            var description = $"{stats.Servers} job servers, {stats.Enqueued} enqueued, {stats.Failed} failed";
            var o = options.Value;
            if (NodeRole.RunsJobs(node.Value.Role, o) && !monitoring.Servers().Any(s => s.Name.StartsWith(o.NodeName + ":", StringComparison.OrdinalIgnoreCase)))
                return Task.FromResult(HealthCheckResult.Degraded($"Jobs:RunServer is true but no job server of node {o.NodeName} is running, so no job runs here; {description}"));
            return Task.FromResult(HealthCheckResult.Healthy(description));
        }
    }
}
