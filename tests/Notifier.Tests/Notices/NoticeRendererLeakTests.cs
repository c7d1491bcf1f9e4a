using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;
using Notifier.Notices;

namespace Notifier.Tests.Notices;

/// <summary>
/// The renderer the service registers keeps nothing of a notice once it is rendered. A renderer that kept each
/// rendered root component (HtmlRenderer.RenderComponentAsync does, until the renderer is disposed) held every model
/// and its component tree for the life of the process: about 200 kB a notice, 1 GB after 5,000.
/// </summary>
public sealed class NoticeRendererLeakTests
{
    private const int Notices = 100;

    [Fact]
    public async Task RenderAsync_LetsEveryModelGo_AfterItsNoticeIsRendered()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddNotices();
        using var host = builder.Build();
        var renderer = host.Services.GetRequiredService<NoticeRenderer>();

        var models = await RenderAsync(renderer);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        // The renderer is alive and has rendered them all: what it still held would still be reachable.
        var kept = models.Count(m => m.TryGetTarget(out _));
        Assert.Equal(0, kept);
        Assert.StartsWith("[NR-", (await renderer.RenderAsync(NoticeModels.Model())).Subject, StringComparison.Ordinal);
    }

    /// <summary>Renders the notices in a frame of its own, so no local of the test keeps a model alive.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<List<WeakReference<NoticeModel>>> RenderAsync(NoticeRenderer renderer)
    {
        var models = new List<WeakReference<NoticeModel>>();
        var kinds = Enum.GetValues<NoticeKind>();
        for (var i = 0; i < Notices; i++)
        {
            var model = NoticeModels.Model(kinds[i % kinds.Length], i % 2 == 0 ? "en" : "de") with { CaseReference = $"NR-{i:000000}" };
            models.Add(new WeakReference<NoticeModel>(model));
            var notice = await renderer.RenderAsync(model);
            Assert.StartsWith($"[NR-{i:000000}]", notice.Subject, StringComparison.Ordinal);
        }
        return models;
    }
}
