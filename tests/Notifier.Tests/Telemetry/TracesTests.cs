using System.Net.Http.Json;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Telemetry;

/// <summary>
/// With <c>Telemetry:OtlpEndpoint</c> set, the service (its own process) sends a collector the traces of a case's
/// jobs: a span per job named after it and tagged with the ids it worked on, under the service's name.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class TracesTests(Notifier.Tests.Lab.Lab lab)
{
    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Collector_ReceivesTheSpansOfACasesJobs_AfterALabPipelineRun(string protocol)
    {
        await using var collector = await TestOtlpCollector.StartAsync(protocol);
        var settings = LabServiceSettings.For(lab, LabServiceSettings.NewDeskDomain('t'));
        settings["Probing:MinIntervalPerNetwork"] = "00:00:00";
        settings["Jobs:DispatchCron"] = "*/1 * * * * *";
        settings["Telemetry:OtlpEndpoint"] = collector.Endpoint;
        settings["Telemetry:OtlpProtocol"] = protocol;
        // The SDK's own settings, read from the service's configuration as an operator would set them
        // (Notifier__OTEL_…): spans every 0.5 s instead of 5 s, metrics every second instead of a minute.
        settings["OTEL_BSP_SCHEDULE_DELAY"] = "500";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        await using var service = await RunningNotifier.StartAsync(settings);
        using var api = new HttpClient { BaseAddress = service.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new("Bearer", (await service.RunVerbAsync("apikey", "create", "reporter")).Trim());
        var relay = lab.EndPoint("OPEN");

        var created = await api.PostAsJsonAsync("/api/cases", new { address = relay.Address.ToString(), port = relay.Port, source = "traces" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());

        // Spans leave in batches (every 5 s by default); a path of its own per signal on HTTP, the gRPC method on gRPC.
        var path = protocol == "grpc" ? "/opentelemetry.proto.collector.trace.v1.TraceService/Export" : "/v1/traces";
        var metrics = protocol == "grpc" ? "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export" : "/v1/metrics";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!(collector.Text(path).Contains("ProbeJob.RunAsync", StringComparison.Ordinal)
            && collector.Text(path).Contains("InboxPollJob.RunAsync", StringComparison.Ordinal)
            && collector.Text(metrics).Contains("notifier.probes", StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no probe and inbox spans at {path} and probe count at {metrics} within 90 s; exports: "
                + string.Join(", ", collector.Exports.Select(e => $"{e.Path} ({e.Body.Length} bytes)"))
                + "\n== the service's last output:\n" + string.Join('\n', service.Output.TakeLast(40)));
            await Task.Delay(500);
        }
        var traces = collector.Text(path);
        Assert.Contains("notifier.job.probeId", traces, StringComparison.Ordinal);
        Assert.Contains("notifier.job.id", traces, StringComparison.Ordinal);
        Assert.Contains("notifier", traces, StringComparison.Ordinal);
        // Metrics went to the same collector on their own path (over HTTP they once went to "/" with the traces).
        Assert.All(collector.Exports, e => Assert.Contains(e.Path, new[] { path, metrics }));
    }
}
