using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Notifier.Notices;

public static class NoticesExtensions
{
    /// <summary>The notice renderer (templates/ rendered with HtmlRenderer) and what sends notices.</summary>
    public static IHostApplicationBuilder AddNotices(this IHostApplicationBuilder builder)
    {
        // One HtmlRenderer for the process: it serialises renders on its dispatcher, and templates use no
        // services, so nothing scoped can leak between renders.
        builder.Services.TryAddSingleton(sp => new HtmlRenderer(sp, sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.TryAddSingleton<NoticeRenderer>();
        return builder;
    }
}
