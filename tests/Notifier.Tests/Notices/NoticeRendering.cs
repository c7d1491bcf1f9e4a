using Notifier.Notices;

namespace Notifier.Tests.Notices;

/// <summary>Renders models the way the service does (NoticeRenderer over templates/), without a host.</summary>
internal static class NoticeRendering
{
    private static readonly Lazy<NoticeRenderer> Renderer = new(() =>
    {
        var services = new ServiceCollection().BuildServiceProvider();
        return new NoticeRenderer(services);
    });

    public static Task<RenderedNotice> RenderAsync(NoticeModel model) => Renderer.Value.RenderAsync(model);
}
