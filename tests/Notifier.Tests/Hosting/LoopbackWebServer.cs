using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Notifier.Tests.Hosting;

/// <summary>
/// Kestrel on 127.0.0.1 and a port the OS picks, quiet, with the endpoints a test server maps: what the tests' stand-ins
/// for other people's HTTP services (an RDAP registry, publicsuffix.org, an OpenTelemetry collector) run on.
/// </summary>
public sealed class LoopbackWebServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackWebServer(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    /// <summary>http://127.0.0.1:port, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <param name="map">Maps the server's endpoints before it starts.</param>
    /// <param name="protocols">Without TLS, HTTP/2 is spoken only to a server that speaks nothing else (no ALPN to choose by).</param>
    public static async Task<LoopbackWebServer> StartAsync(Action<WebApplication> map, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = protocols));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackWebServer(app, address.TrimEnd('/'));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
