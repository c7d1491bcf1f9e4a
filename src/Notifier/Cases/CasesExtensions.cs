using Hangfire;
using Microsoft.Extensions.Options;
using Notifier.Jobs;
using Notifier.Telemetry;

namespace Notifier.Cases;

public static class CasesExtensions
{
    public static IHostApplicationBuilder AddCases(this IHostApplicationBuilder builder)
    {
        builder.Services.AddNotifierMetrics();
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section);
        builder.Services.AddSingleton<CaseGauges>();
        builder.Services.AddOptions<CasesOptions>()
            .BindConfiguration(CasesOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<RetestOptions>()
            .BindConfiguration(RetestOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<RetestOptions>, RetestOptionsValidator>();
        builder.Services.AddOptions<NoticePolicyOptions>()
            .BindConfiguration(NoticePolicyOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.RetryMaxDelay >= o.RetryBaseDelay, "Notices:RetryMaxDelay must not be shorter than Notices:RetryBaseDelay")
            .Validate(o => string.IsNullOrWhiteSpace(o.PublicBaseUrl) || Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp),
                "Notices:PublicBaseUrl must be an absolute http(s) URL")
            .ValidateOnStart();
        builder.Services.AddScoped<CaseIntake>();
        // A case's ranked contact list in the database: the contact lookup job, the contacts API and Inbox share it.
        builder.Services.AddScoped<CaseContacts>();
        // Saving a suppression or a manual rule and re-ranking the cases it touches: the contacts API and Inbox use it.
        builder.Services.AddScoped<ContactPolicyChange>();
        builder.Services.AddScoped<ContactRules>();
        builder.Services.AddScoped<SuppressionList>();
        builder.Services.AddScoped<NoticeSuppressions>();
        builder.Services.AddScoped<NoticePlanner>();
        builder.Services.AddScoped<NoticePacing>();
        builder.Services.AddScoped<NoticeBatch>();
        builder.Services.AddScoped<NoticeFailover>();
        builder.Services.AddScoped<IgnoredNotices>();
        builder.Services.AddScoped<FollowUpNotices>();
        builder.Services.AddScoped<NoticeBounces>();
        builder.Services.AddScoped<NoticeModelFactory>();
        builder.Services.AddScoped<NoticeMailFactory>();
        builder.Services.AddScoped<NoticePreview>();
        builder.Services.AddScoped<OwnerLinks>();
        builder.Services.AddSingleton<ProbeSpacing>();
        builder.Services.AddScoped<OwnerActions>();
        builder.Services.AddScoped<NoticeJob>();
        builder.Services.AddScoped<TestMessageJob>();
        builder.Services.AddScoped<ContactLookupJob>();
        builder.Services.AddScoped<ProbeJob>();
        builder.Services.AddScoped<ProbeRun>();
        builder.Services.AddSingleton<ProbeRunner>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ProbeRunner>());
        builder.Services.AddScoped<CaseDispatcher>();
        builder.Services.AddScoped<CaseReplies>();
        return builder;
    }

    /// <summary>
    /// Registers the recurring dispatcher in the job storage (AddJobs) and recovers work from the database. Runs
    /// after the host is built, so the storage exists and a bad Jobs:DispatchCron stops the start.
    /// </summary>
    public static async Task StartCasesAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var options = services.GetRequiredService<IOptions<JobsOptions>>().Value;
        try
        {
            services.GetRequiredService<IRecurringJobManager>()
                .AddOrUpdate<CaseDispatcher>(CaseDispatcher.RecurringId, d => d.RunAsync(CancellationToken.None), options.DispatchCron);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"Jobs:DispatchCron \"{options.DispatchCron}\" is not a valid cron expression: {e.Message}", e);
        }
        // The gauges register their callbacks on the Notifier meter when they are made.
        services.GetRequiredService<CaseGauges>();
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<CaseDispatcher>().RecoverAsync(ct);
    }
}
