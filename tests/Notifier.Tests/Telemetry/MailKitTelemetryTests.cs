using System.Net;
using System.Net.Sockets;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Notifier.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Telemetry;

/// <summary>
/// MailKit's meters are exported, and listening to them never turns a failed connection into a crash: MailKit
/// 4.18.2 throws NullReferenceException recording the connection duration of a client that never connected
/// (TelemetryExtensions drops that instrument), which made an unreachable IMAP server or smarthost a failure.
/// What the exported meters show after a real SMTP dialogue is <see cref="MailKitSmtpMetricsTests"/>.
/// </summary>
public sealed class MailKitTelemetryTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    [Fact]
    public async Task Clients_WhoseConnectFailed_AreDisposedWithoutError_WhileTheServiceListens()
    {
        using var scrape = await factory.ClientWithKeyAsync(ApiScope.Read);
        Assert.NotNull(factory.Server); // the service, and so its meter listener, is running
        var port = LoopbackPort.Unused();

        // Never connected at all, then refused: each Dispose records (or, since the drop, skips) the connection's duration.
        new ImapClient().Dispose();
        new SmtpClient().Dispose();
        using (var imap = new ImapClient())
            await Assert.ThrowsAnyAsync<SocketException>(() => imap.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None));
        using (var smtp = new SmtpClient())
            await Assert.ThrowsAnyAsync<SocketException>(() => smtp.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None));
        var metrics = PrometheusScrape.Parse(await scrape.GetStringAsync("/metrics"));

        Assert.DoesNotContain(metrics.Samples, s => s.Name.Contains("client_connection_duration", StringComparison.Ordinal));
    }
}
