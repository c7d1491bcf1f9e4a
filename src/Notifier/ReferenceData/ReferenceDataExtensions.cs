using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Notifier.Hosting;

namespace Notifier.ReferenceData;

public static class ReferenceDataExtensions
{
    /// <summary>
    /// The refreshes of the Public Suffix List and the RDAP bootstrap, their schedule on this node, readiness check and
    /// options (<c>ReferenceData</c>).
    /// </summary>
    public static IHostApplicationBuilder AddReferenceData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReferenceDataOptions>()
            .BindConfiguration(ReferenceDataOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicSuffixListUrl)
                    || (Uri.TryCreate(o.PublicSuffixListUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "ReferenceData:PublicSuffixListUrl must be an absolute http(s) URL (or empty for the shipped copy)")
            .Validate(o => ReferenceDataSchedule.ParseCron(o.Cron) is not null,
                "ReferenceData:Cron must be a cron expression (UTC): five fields such as \"23 4 * * *\", or six with seconds first")
            .ValidateOnStart();
        builder.Services.AddHttpClient(PublicSuffixListRefresh.HttpClientName, (sp, client) =>
        {
            client.Timeout = sp.GetRequiredService<IOptions<ReferenceDataOptions>>().Value.Timeout;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Notifier-reference-data/1.0");
        });
        builder.Services.AddSingleton<PublicSuffixListRefresh>();
        builder.Services.AddSingleton<RdapBootstrapRefresh>();
        builder.Services.AddSingleton<ReferenceDataJob>();
        // On every node, whatever its role and whether it runs a Hangfire server: each refreshes its own copies. The
        // CLI registers it too (AddReferenceData) but never starts its host, so it downloads nothing.
        builder.Services.AddHostedService<ReferenceDataSchedule>();
        // Tagged External so that only /healthz/ready runs it, beside the other standing warnings an admin acts on
        // (DKIM record, smarthost); /healthz stays the moment-to-moment state a monitor polls.
        builder.Services.AddHealthChecks()
            .AddCheck<ReferenceDataHealthCheck>("reference-data", HealthStatus.Degraded, [HealthTags.External]);
        return builder;
    }

    /// <summary>
    /// Puts the stored copies in use (the shipped ones when there are none), warning when one is too old: what the
    /// service does at start, and what a CLI verb that looks contacts up does, so both use the same copies.
    /// </summary>
    public static IServiceProvider LoadReferenceData(this IServiceProvider services)
    {
        var psl = services.GetRequiredService<PublicSuffixListRefresh>();
        psl.Load();
        services.GetRequiredService<RdapBootstrapRefresh>().Load();
        var o = services.GetRequiredService<IOptions<ReferenceDataOptions>>().Value;
        var log = services.GetRequiredService<ILoggerFactory>().CreateLogger<ReferenceDataJob>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        foreach (var warning in ReferenceDataHealthCheck.Warnings(psl, services.GetRequiredService<Notifier.Contacts.Rdap.RdapBootstrapSource>(), o, now))
            log.LogWarning("Reference data: {Warning}", warning);
        return services;
    }

    /// <summary>
    /// Loads the stored copies before the schedule starts (<see cref="ReferenceDataSchedule"/>, a hosted service, then
    /// refreshes a copy that is due at once), and removes the recurring Hangfire job that ran the refresh on one node of
    /// the cluster before each node refreshed its own: an upgraded cluster would otherwise keep running it.
    /// </summary>
    public static IServiceProvider StartReferenceData(this IServiceProvider services)
    {
        services.LoadReferenceData();
        // Only a host with job storage (AddJobs) has the manager; the storage is shared by the cluster's nodes.
        if (services.GetService<JobStorage>() is not null)
            services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(ReferenceDataJob.RecurringId);
        return services;
    }
}
