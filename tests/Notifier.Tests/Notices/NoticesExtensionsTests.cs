using Microsoft.Extensions.Hosting;
using Notifier.Notices;

namespace Notifier.Tests.Notices;

public class NoticesExtensionsTests
{
    [Fact]
    public async Task AddNotices_RegistersRendererThatRendersTemplates_WithoutCli()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddNotices();
        using var host = builder.Build();

        var renderer = host.Services.GetRequiredService<NoticeRenderer>();
        var notice = await renderer.RenderAsync(NoticeModels.Model(language: "de"));

        Assert.Same(renderer, host.Services.GetRequiredService<NoticeRenderer>());
        Assert.StartsWith("[NR-000123] Offenes Mail-Relay", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("Relay-Address: 192.0.2.10", notice.Text, StringComparison.Ordinal);
        Assert.Contains("<table class=\"facts\">", notice.Html, StringComparison.Ordinal);
    }
}
