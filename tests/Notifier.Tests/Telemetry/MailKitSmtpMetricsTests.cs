using System.Globalization;
using Notifier.Auth;
using Notifier.Notices;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;
using Notifier.Tests.Notices;

namespace Notifier.Tests.Telemetry;

/// <summary>
/// What an admin scraping /metrics sees of MailKit (MailKit.Telemetry, docs: MailKit's Telemetry.md) after the
/// service sent a notice through the lab's smarthost (STARTTLS, AUTH): the socket connect, and the SMTP client's
/// connect, authenticate and send operations to that host and port, each counted with its duration. Without MailKit's
/// meters in the service's metrics these series are absent and the test fails.
/// </summary>
[Collection(LabBesideCollection.Name)]
public sealed class MailKitSmtpMetricsTests(Notifier.Tests.Lab.Lab lab)
{
    [Fact]
    public async Task Metrics_ShowMailKitsSmtpOperationsOnTheSmarthost_AfterANoticeIsSent()
    {
        var settings = NoticeLab.Smarthost(lab);
        // No job server: nothing but this test's notice speaks SMTP from this host.
        settings["Jobs:RunServer"] = "false";
        using var factory = new NotifierFactory(settings);
        using var scrape = await factory.ClientWithKeyAsync(ApiScope.Read);
        var smarthost = lab.EndPoint("SMARTHOST");
        var at = new[] { $"server_address={smarthost.Address}", $"server_port={smarthost.Port.ToString(CultureInfo.InvariantCulture)}" };
        // MailKit's meters are static (process-wide): other tests of this process may speak to the same smarthost
        // meanwhile, so the test compares the scrape after its notice with the one before it.
        var before = PrometheusScrape.Parse(await scrape.GetStringAsync("/metrics"));

        var recipient = $"abuse-{Guid.NewGuid():n}@{lab["NOTIFIER_LAB_NOTICE_DOMAIN"]}";
        var sender = factory.Services.GetRequiredService<INoticeSender>();
        var notice = NoticeSamples.Builder(new NoticeSigner(null)).Build(NoticeSamples.Mail(to: recipient));
        var delivery = await sender.SendAsync(notice, "bounces+notice@desk.test", recipient, CancellationToken.None);
        Assert.Equal(NoticeDeliveryOutcome.Accepted, delivery.Outcome);
        // The exporter answers a scrape from a copy up to 300 ms old (PrometheusAspNetCoreOptions.
        // ScrapeResponseCacheDurationMilliseconds), so a scrape right after a fast send can be the one from before it.
        var after = before;
        for (var tries = 0; tries < 20 && !(after.Sum("mailkit_net_smtp_client_operation_count_total", at) > before.Sum("mailkit_net_smtp_client_operation_count_total", at)); tries++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(400));
            after = PrometheusScrape.Parse(await scrape.GetStringAsync("/metrics"));
        }
        var shown = string.Join('\n', after.Samples.Where(s => s.Name.StartsWith("mailkit_", StringComparison.Ordinal))
            .Select(s => $"{s.Name}{{{string.Join(',', s.Labels.Select(l => $"{l.Key}={l.Value}"))}}} {s.Value}"));
        double Grew(string name, params string[] labels) => after.Sum(name, [.. at, .. labels]) - before.Sum(name, [.. at, .. labels]);

        foreach (var operation in new[] { "connect", "authenticate", "send" })
        {
            var labels = new[] { $"network_operation={operation}", "url_scheme=smtp" };
            Assert.True(Grew("mailkit_net_smtp_client_operation_count_total", labels) >= 1, $"no SMTP {operation} on the smarthost was counted:\n{shown}");
            var count = Grew("mailkit_net_smtp_client_operation_duration_milliseconds_count", labels);
            var sum = Grew("mailkit_net_smtp_client_operation_duration_milliseconds_sum", labels);
            Assert.True(count >= 1, $"no duration of the SMTP {operation} was recorded:\n{shown}");
            // Loopback Postfix answers in milliseconds; a minute per operation would be no plausible duration.
            Assert.InRange(sum / count, 0, 60_000);
        }
        Assert.True(Grew("mailkit_net_socket_connect_count_total") >= 1, $"no socket connect to the smarthost was counted:\n{shown}");
        Assert.True(Grew("mailkit_net_socket_connect_duration_milliseconds_count") >= 1, $"no socket connect duration was recorded:\n{shown}");
    }
}
