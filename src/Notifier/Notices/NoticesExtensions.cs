using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Notifier.Probing;

namespace Notifier.Notices;

public static class NoticesExtensions
{
    /// <summary>
    /// Rendering (templates/, written by NoticeTreeWriter), building, signing and sending notices. No database, no Hangfire:
    /// like Probing, a library the case work and the CLI use. With no <c>Notices:Smarthost:Host</c>, notices go
    /// to the outbox directory (the embedded default).
    /// </summary>
    public static IHostApplicationBuilder AddNotices(this IHostApplicationBuilder builder)
    {
        // One renderer for the process: each render has a writer of its own that keeps nothing of the notice after
        // it, and templates use no services, so nothing scoped can leak between renders.
        builder.Services.TryAddSingleton(sp => new NoticeRenderer(sp));
        // For template parts that a page renders with the application's own renderer (the owner page's
        // <component type="typeof(NoticeRoot)">): one per request. NoticeRenderer's writers bring their own.
        builder.Services.TryAddScoped<NoticeScope>();
        builder.Services.AddOptions<NoticesOptions>()
            .BindConfiguration(NoticesOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NoticesOptions>, NoticesOptionsValidator>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<NoticesOptions>>().Value;
            if (string.IsNullOrEmpty(o.DkimKeyFile)) return new NoticeSigner(null);
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<NoticeSigner>();
            return new NoticeSigner(TestMessageSigner.FromFile(o.DkimKeyFile, o.DkimDomainOrDesk(), o.DkimSelector, record =>
            {
                // Printed, not only logged: a first run must show the operator what to publish.
                Console.Error.WriteLine($"A DKIM key for notices was created in {o.DkimKeyFile}. Publish this DNS record:\n{record}");
                log.LogWarning("Created DKIM key {KeyFile}; publish the DNS record {Record}", o.DkimKeyFile, record);
            }, sp.GetRequiredService<TimeProvider>()));
        });
        builder.Services.TryAddSingleton<NoticeMessageBuilder>();
        builder.Services.TryAddSingleton<INoticeSender>(sp =>
            string.IsNullOrEmpty(sp.GetRequiredService<IOptions<NoticesOptions>>().Value.Smarthost.Host)
                ? ActivatorUtilities.CreateInstance<OutboxSender>(sp)
                : ActivatorUtilities.CreateInstance<SmarthostSender>(sp));
        return builder;
    }

    /// <summary>Creates the notice DKIM key at start rather than at the first notice, as <see cref="ProbingExtensions.PrepareProbingKeys"/> does for probes.</summary>
    public static IServiceProvider PrepareNoticeKeys(this IServiceProvider services)
    {
        services.GetRequiredService<NoticeSigner>();
        return services;
    }
}
