using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Telemetry;

/// <summary>
/// Kestrel on 127.0.0.1 playing an OpenTelemetry collector's OTLP receiver, over gRPC (HTTP/2 without TLS, as a
/// collector's port 4317 speaks it) or HTTP/protobuf (port 4318): it keeps every export's path and body and answers
/// success. The bodies are not decoded: span names and attribute keys are protobuf strings, stored as plain UTF-8.
/// </summary>
public sealed class TestOtlpCollector : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _exports = new();
    private LoopbackWebServer _web = null!;

    public string Endpoint { get; private set; } = "";

    public IReadOnlyList<(string Path, byte[] Body)> Exports => [.. _exports];

    /// <summary>The exports to <paramref name="path"/> as text (invalid UTF-8 replaced), to search for names in.</summary>
    public string Text(string path) => string.Join('\n', Exports.Where(e => e.Path == path).Select(e => Encoding.UTF8.GetString(e.Body)));

    public static async Task<TestOtlpCollector> StartAsync(string protocol)
    {
        var collector = new TestOtlpCollector();
        collector._web = await LoopbackWebServer.StartAsync(app => app.Run(collector.ReceiveAsync),
            protocol == "grpc" ? HttpProtocols.Http2 : HttpProtocols.Http1);
        collector.Endpoint = collector._web.BaseUrl;
        return collector;
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        _exports.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
        if (context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            // An empty Export*ServiceResponse in gRPC's framing (no compression flag, length 0), then status OK in the
            // trailers (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md).
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(new byte[5]);
            context.Response.AppendTrailer("grpc-status", "0");
            return;
        }
        context.Response.ContentType = "application/x-protobuf";
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();
}
