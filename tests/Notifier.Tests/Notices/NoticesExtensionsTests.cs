using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notifier.Notices;

namespace Notifier.Tests.Notices;

public sealed class NoticesExtensionsTests
{
    private static IHost Host(Dictionary<string, string?> settings)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddNotices();
        return builder.Build();
    }

    [Fact]
    public async Task AddNotices_RegistersRendererThatRendersTemplates_WithoutCli()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddNotices();
        using var host = builder.Build();

        var renderer = host.Services.GetRequiredService<NoticeRenderer>();
        var notice = await renderer.RenderAsync(NoticeModels.Model(language: "de"));

        Assert.Same(renderer, host.Services.GetRequiredService<NoticeRenderer>());
        Assert.StartsWith("[NR-000123] Offenes Mail-Relay", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("Relay-Address: 192.0.2.10", notice.Text, StringComparison.Ordinal);
        Assert.Contains("<table class=\"facts\">", notice.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void AddNotices_SendsToTheOutbox_WhenNoSmarthostIsConfigured()
    {
        using var host = Host([]);

        var sender = host.Services.GetRequiredService<INoticeSender>();

        var outbox = Assert.IsType<OutboxSender>(sender);
        Assert.Equal("outbox", sender.Name);
        Assert.Equal(Path.GetFullPath("data/outbox"), outbox.OutboxDirectory);
    }

    [Fact]
    public void AddNotices_SendsThroughTheSmarthost_WhenItsHostIsConfigured()
    {
        using var host = Host(new() { ["Notices:Smarthost:Host"] = "127.0.0.1", ["Notices:Smarthost:Port"] = "2525" });

        Assert.IsType<SmarthostSender>(host.Services.GetRequiredService<INoticeSender>());
    }

    [Theory]
    [InlineData("Notices:DeskAddress", "not an address", "Notices:DeskAddress must be one mail address")]
    [InlineData("Notices:DeskReplyAddress", "a@desk.test, b@desk.test", "Notices:DeskReplyAddress must be one mail address")]
    [InlineData("Notices:Smarthost:Port", "70000", "Notices:Smarthost:Port must be a TCP port")]
    [InlineData("Notices:Smarthost:UserName", "desk", "Notices:Smarthost:Password is required")]
    [InlineData("Notices:Smarthost:CommandTimeout", "00:00:00", "Notices:Smarthost:CommandTimeout must be between")]
    [InlineData("Notices:DkimSelector", "two.labels", "Notices:DkimSelector must be one DNS label")]
    public async Task AddNotices_StopsTheStartWithAClearMessage_WhenASettingIsInvalid(string key, string value, string message)
    {
        using var host = Host(new() { [key] = value });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
