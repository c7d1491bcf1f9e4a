using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Notifier.Hosting;

namespace Notifier.ReferenceData;

public static class ReferenceDataExtensions
{
    /// <summary>The refreshes of the Public Suffix List and the RDAP bootstrap, their job, readiness check and options (<c>ReferenceData</c>).</summary>
    public static IHostApplicationBuilder AddReferenceData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ReferenceDataOptions>()
            .BindConfiguration(ReferenceDataOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicSuffixListUrl)
                    || (Uri.TryCreate(o.PublicSuffixListUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                "ReferenceData:PublicSuffixListUrl must be an absolute http(s) URL (or empty for the shipped copy)")
            .ValidateOnStart();
        builder.Services.AddHttpClient(PublicSuffixListRefresh.HttpClientName, (sp, client) =>
        {
            client.Timeout = sp.GetRequiredService<IOptions<ReferenceDataOptions>>().Value.Timeout;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("Notifier-reference-data/1.0");
        });
        builder.Services.AddSingleton<PublicSuffixListRefresh>();
        builder.Services.AddSingleton<RdapBootstrapRefresh>();
        builder.Services.AddScoped<ReferenceDataJob>();
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
    /// Loads the stored copies, registers the recurring refresh (once per cluster) and, when a configured copy is due
    /// (never fetched from its URL, or a run was missed), enqueues one refresh now rather than at the next schedule.
    /// </summary>
    public static IServiceProvider StartReferenceData(this IServiceProvider services)
    {
        services.LoadReferenceData();
        var o = services.GetRequiredService<IOptions<ReferenceDataOptions>>().Value;
        try
        {
            services.GetRequiredService<IRecurringJobManager>()
                .AddOrUpdate<ReferenceDataJob>(ReferenceDataJob.RecurringId, j => j.RunAsync(CancellationToken.None), o.Cron);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ReferenceData:Cron \"{o.Cron}\" is not a valid cron expression: {e.Message}", e);
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (services.GetRequiredService<PublicSuffixListRefresh>().IsDue(now) || services.GetRequiredService<RdapBootstrapRefresh>().IsDue(now))
            services.GetRequiredService<IBackgroundJobClient>().Enqueue<ReferenceDataJob>(j => j.RunAsync(CancellationToken.None));
        return services;
    }
}
