using Hangfire;
using Microsoft.Extensions.Options;
using Notifier.Telemetry;

namespace Notifier.Inbox;

public static class InboxExtensions
{
    /// <summary>The inbox (IMAP poll, classification); options from <c>Inbox</c>.</summary>
    public static IHostApplicationBuilder AddInbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddNotifierMetrics();
        builder.Services.AddOptions<InboxOptions>()
            .BindConfiguration(InboxOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddScoped<MailThreading>();
        builder.Services.AddScoped<CanaryRecorder>();
        builder.Services.AddScoped<BounceRecorder>();
        builder.Services.AddScoped<ComplaintRecorder>();
        builder.Services.AddScoped<AutoReplyRecorder>();
        builder.Services.AddScoped<ReplySenderCheck>();
        builder.Services.AddScoped<ReplyRecorder>();
        builder.Services.AddScoped<InboxProcessor>();
        builder.Services.AddScoped<InboxPollJob>();
        builder.Services.AddSingleton<InboxPollStatus>();
        builder.Services.AddHealthChecks().AddCheck<InboxHealthCheck>("inbox");
        builder.Services.AddScoped<ReplyIntentChange>();
        builder.Services.AddScoped<InboxFiling>();
        builder.Services.AddScoped<OwnerNotes>();
        return builder;
    }

    /// <summary>Registers the recurring poll (every Inbox:PollInterval), or removes it when no inbox is configured.</summary>
    public static IServiceProvider ScheduleInbox(this IServiceProvider services)
    {
        var o = services.GetRequiredService<IOptions<InboxOptions>>().Value;
        var jobs = services.GetRequiredService<IRecurringJobManager>();
        if (o.Enabled) jobs.AddOrUpdate<InboxPollJob>(InboxPollJob.RecurringId, j => j.RunAsync(CancellationToken.None), o.Cron());
        else jobs.RemoveIfExists(InboxPollJob.RecurringId);
        return services;
    }
}
