using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.ReferenceData;

/// <summary>
/// Kestrel on 127.0.0.1 playing publicsuffix.org: serves <see cref="Body"/> at /list.dat with an ETag and a
/// Last-Modified, answers 304 to a matching If-None-Match, or <see cref="Status"/> when a test breaks it.
/// </summary>
public sealed class TestListServer : IAsyncDisposable
{
    private LoopbackWebServer _web = null!;
    private int _requests;

    public string Url { get; private set; } = "";

    public byte[] Body { get; set; } = [];

    public string ETag { get; set; } = "\"v1\"";

    public DateTimeOffset LastModified { get; set; } = DateTimeOffset.UtcNow.AddDays(-1);

    /// <summary>Answer this status (with no list) instead of the list.</summary>
    public int? Status { get; set; }

    /// <summary>The If-None-Match of the latest request, if it had one.</summary>
    public string? LastIfNoneMatch { get; private set; }

    public int Requests => _requests;

    /// <summary>The shipped list with one more rule, so that a test sees which list is in use.</summary>
    public static byte[] ShippedListWith(string rule) =>
        [.. File.ReadAllBytes(Notifier.ReferenceData.PublicSuffixListRefresh.ShippedPath), .. System.Text.Encoding.UTF8.GetBytes($"\n{rule}\n")];

    public static async Task<TestListServer> StartAsync()
    {
        var server = new TestListServer();
        server._web = await LoopbackWebServer.StartAsync(app =>
        {
            app.MapGet("/list.dat", server.Serve);
            app.MapGet("/rdap/{file}", server.Bootstrap);
        });
        server.Url = server._web.BaseUrl + "/list.dat";
        return server;
    }

    private IResult Serve(HttpRequest request)
    {
        Interlocked.Increment(ref _requests);
        LastIfNoneMatch = request.Headers.IfNoneMatch.Count > 0 ? request.Headers.IfNoneMatch.ToString() : null;
        if (Status is { } status) return Results.StatusCode(status);
        if (LastIfNoneMatch == ETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        request.HttpContext.Response.Headers.ETag = ETag;
        request.HttpContext.Response.Headers.LastModified = LastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        return Results.Bytes(Body, "text/plain; charset=utf-8");
    }

    /// <summary>Where the bootstrap files are (<c>Contacts:RdapBootstrapUrl</c>): one registry, published yesterday.</summary>
    public string RdapBootstrapUrl => Url.Replace("/list.dat", "/rdap/", StringComparison.Ordinal);

    public const string Registry = "https://rdap.registry.test/";

    /// <summary>The bootstrap files' ETag; a request that sends it gets a 304.</summary>
    public string BootstrapETag { get; set; } = "\"b1\"";

    /// <summary>The bootstrap files' <c>publication</c>.</summary>
    public DateTimeOffset BootstrapPublished { get; set; } = DateTimeOffset.UtcNow.AddDays(-1);

    /// <summary>Served instead of ipv6.json when set (a test breaking the bootstrap).</summary>
    public string? Ipv6Body { get; set; }

    /// <summary>The If-None-Match of the latest bootstrap request, if it had one.</summary>
    public string? LastBootstrapIfNoneMatch { get; private set; }

    public int BootstrapRequests => _bootstrapRequests;

    private int _bootstrapRequests;

    private IResult Bootstrap(HttpRequest request, string file)
    {
        Interlocked.Increment(ref _bootstrapRequests);
        LastBootstrapIfNoneMatch = request.Headers.IfNoneMatch.Count > 0 ? request.Headers.IfNoneMatch.ToString() : null;
        if (Status is { } status) return Results.StatusCode(status);
        if (LastBootstrapIfNoneMatch == BootstrapETag) return Results.StatusCode(StatusCodes.Status304NotModified);
        request.HttpContext.Response.Headers.ETag = BootstrapETag;
        var prefix = file == "ipv6.json" ? "2001:db8::/32" : "192.0.2.0/24";
        var published = BootstrapPublished.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        if (file == "ipv6.json" && Ipv6Body is { } broken) return Results.Text(broken, "application/json");
        return Results.Text($$"""{ "version": "1.0", "publication": "{{published}}", "services": [ [["{{prefix}}"], ["{{Registry}}"]] ] }""", "application/json");
    }

    public ValueTask DisposeAsync() => _web.DisposeAsync();
}
