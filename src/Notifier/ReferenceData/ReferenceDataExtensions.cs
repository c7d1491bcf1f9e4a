using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Notifier.Hosting;

namespace Notifier.ReferenceData;

public static class ReferenceDataExtensions
{
    /// <summary>The refresh of the Public Suffix List, its job, its readiness check and its options (<c>ReferenceData</c>).</summary>
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
        builder.Services.AddScoped<ReferenceDataJob>();
        // Tagged External so that only /healthz/ready runs it, beside the other standing warnings an admin acts on
        // (DKIM record, smarthost); /healthz stays the moment-to-moment state a monitor polls.
        builder.Services.AddHealthChecks()
            .AddCheck<ReferenceDataHealthCheck>("reference-data", HealthStatus.Degraded, [HealthTags.External]);
        return builder;
    }

    /// <summary>
    /// Puts the stored copy in use (warning when it is too old) and registers the recurring refresh (once per cluster).
    /// </summary>
    public static IServiceProvider StartReferenceData(this IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<ReferenceDataOptions>>().Value;
        var copy = services.GetRequiredService<PublicSuffixListRefresh>().Load();
        if (copy.AgeWarning("Public Suffix List", services.GetRequiredService<TimeProvider>().GetUtcNow(), o.MaxAge) is { } warning)
            services.GetRequiredService<ILoggerFactory>().CreateLogger<ReferenceDataJob>().LogWarning("Reference data: {Warning}", warning);
        try
        {
            services.GetRequiredService<IRecurringJobManager>()
                .AddOrUpdate<ReferenceDataJob>(ReferenceDataJob.RecurringId, j => j.RunAsync(CancellationToken.None), o.Cron);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ReferenceData:Cron \"{o.Cron}\" is not a valid cron expression: {e.Message}", e);
        }
        return services;
    }
}
