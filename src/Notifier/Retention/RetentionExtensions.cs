using Hangfire;
using Microsoft.Extensions.Options;

namespace Notifier.Retention;

public static class RetentionExtensions
{
    /// <summary>The retention job and its options (<c>Retention</c>).</summary>
    public static IHostApplicationBuilder AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<RetentionJob>();
        return builder;
    }

    /// <summary>Registers the daily run (once per cluster: a recurring job id is one job whatever the node count).</summary>
    public static IServiceProvider ScheduleRetention(this IServiceProvider services)
    {
        var cron = services.GetRequiredService<IOptions<RetentionOptions>>().Value.Cron;
        try
        {
            services.GetRequiredService<IRecurringJobManager>()
                .AddOrUpdate<RetentionJob>(RetentionJob.RecurringId, j => j.RunAsync(CancellationToken.None), cron);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Retention:Cron \"{cron}\" is not a valid cron expression: {e.Message}", e);
        }
        return services;
    }
}
