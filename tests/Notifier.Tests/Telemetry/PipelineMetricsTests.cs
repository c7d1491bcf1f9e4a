using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Telemetry;

/// <summary>
/// The service as a user runs it (its own process, so no other test host's meters mix in) probes the lab's open
/// Postfix, the canary arrives in the lab's Dovecot, and /metrics then tells exactly that story, MailKit's IMAP
/// operations included.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PipelineMetricsTests(Notifier.Tests.Lab.Lab lab)
{
    private Dictionary<string, string> Settings(int metricsPort)
    {
        var settings = LabServiceSettings.For(lab, LabServiceSettings.NewDeskDomain('m'));
        settings["Probing:MinIntervalPerNetwork"] = "00:00:00";
        settings["Jobs:DispatchCron"] = "*/1 * * * * *";
        settings["Telemetry:MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture);
        // Every scrape counts the cases afresh, so the gauge shows the state the case is in at that moment.
        settings["Telemetry:CaseCountsCacheFor"] = "00:00:00";
        return settings;
    }

    private static HttpClient Client(RunningNotifier service, string key)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    [Fact]
    public async Task Metrics_CountTheProbeItsCanaryAndTheCase_AfterALabPipelineRun()
    {
        var metricsPort = LoopbackPort.Unused();
        await using var service = await RunningNotifier.StartAsync(Settings(metricsPort));
        using var api = Client(service, (await service.RunVerbAsync("apikey", "create", "reporter")).Trim());
        using var prometheus = Client(service, (await service.RunVerbAsync("apikey", "create", "prometheus", "--scope", "read")).Trim());
        var relay = lab.EndPoint("OPEN");

        var created = await api.PostAsJsonAsync("/api/cases", new { address = relay.Address.ToString(), port = relay.Port, source = "metrics" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
        var scrape = await ScrapeUntilAsync(service, prometheus, s => s.Sum("notifier_canaries_total") > 0, TimeSpan.FromSeconds(90));
        var state = JsonDocument.Parse(await api.GetStringAsync($"/api/cases/{id}")).RootElement.GetProperty("case").GetProperty("state").GetString();
        scrape = PrometheusScrape.Parse(await prometheus.GetStringAsync("/metrics"));

        Assert.Equal(1, scrape.Sum("notifier_probes_total"));
        Assert.Equal(1, scrape.Sum("notifier_probes_total", "verdict=data-accepted", "mta=Postfix", "kind=probe"));
        Assert.Equal(1, scrape.Sum("notifier_probe_duration_seconds_count", "verdict=data-accepted"));
        Assert.InRange(scrape.Sum("notifier_probe_duration_seconds_sum"), 0.0001, 60);
        Assert.Equal(1, scrape.Sum("notifier_canaries_total", "verdict=confirmed"));
        Assert.Equal(1, scrape.Sum("notifier_canary_latency_seconds_count"));
        Assert.Equal(1, scrape.Sum("notifier_cases"));
        Assert.Equal(1, scrape.Sum("notifier_cases", $"state={state}"));
        Assert.True(scrape.Has("notifier_dispatcher_lag_seconds"), "the dispatcher's lag is reported");
        Assert.Equal(0, scrape.Sum("notifier_inbox_poll_errors_total"));
        // MailKit's own meter (MailKit.Telemetry): the inbox's IMAP operations on the lab's Dovecot.
        var imap = lab.EndPoint("IMAP").Port.ToString(CultureInfo.InvariantCulture);
        Assert.True(scrape.Samples.Any(s => s.Name.StartsWith("mailkit_net_imap_client_operation_count", StringComparison.Ordinal)
            && s.Labels.GetValueOrDefault("server_port") == imap && s.Value > 0), "no MailKit IMAP operation on the lab's Dovecot was counted");
        // The scrape port of its own, on loopback, needs no key.
        using var anonymous = new HttpClient();
        var local = PrometheusScrape.Parse(await anonymous.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics"));
        Assert.Equal(1, local.Sum("notifier_probes_total", "verdict=data-accepted"));
    }

    private static async Task<PrometheusScrape> ScrapeUntilAsync(RunningNotifier service, HttpClient client, Func<PrometheusScrape, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var r = await client.GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            last = await r.Content.ReadAsStringAsync();
            var scrape = PrometheusScrape.Parse(last);
            if (done(scrape)) return scrape;
            await Task.Delay(500);
        }
        // What the service said (its inbox polls, the probe) tells why the canary was not counted.
        throw new TimeoutException($"/metrics did not show it within {within}:\n" +
            string.Join('\n', last.Split('\n').Where(l => l.StartsWith("notifier_", StringComparison.Ordinal) && !l.Contains("_bucket", StringComparison.Ordinal))) +
            "\n== the service's last output:\n" + string.Join('\n', service.Output.TakeLast(60)));
    }
}
