using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Notifier.Auth;
using Notifier.Hosting;

namespace Notifier.Tests.Hosting;

/// <summary>
/// The OpenAPI document as clients get it (and as docs/openapi.json holds it), and Scalar's viewer of it for admins.
/// </summary>
public sealed partial class ApiReferenceTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    /// <summary>Set to 1 to write the served document to docs/openapi.json instead of comparing (README, "OpenAPI").</summary>
    public const string UpdateSwitch = "NOTIFIER_UPDATE_OPENAPI";

    private static string CommittedPath => Path.Combine(Notifier.Tests.Lab.Lab.RepositoryRoot(), "docs", "openapi.json");

    private async Task<string> ServedAsync() => await factory.CreateClient().GetStringAsync(ApiReference.DocumentPath);

    [Fact]
    public async Task CommittedDocument_IsWhatTheServiceServes()
    {
        var served = (await ServedAsync()).ReplaceLineEndings("\n").Trim() + "\n";
        if (Environment.GetEnvironmentVariable(UpdateSwitch) == "1") await File.WriteAllTextAsync(CommittedPath, served);

        var committed = File.Exists(CommittedPath) ? (await File.ReadAllTextAsync(CommittedPath)).ReplaceLineEndings("\n") : "";
        Assert.True(committed == served,
            $"docs/openapi.json differs from {ApiReference.DocumentPath}: regenerate it with " +
            $"{UpdateSwitch}=1 dotnet test tests/Notifier.Tests --filter FullyQualifiedName~ApiReferenceTests");
    }

    [Fact]
    public async Task Document_DeclaresTheApiKeyAsBearer_OnEveryApiOperation()
    {
        var document = JsonNode.Parse(await ServedAsync())!;

        var scheme = document["components"]!["securitySchemes"]![ApiReference.BearerScheme]!;
        Assert.Equal("http", (string?)scheme["type"]);
        Assert.Equal("bearer", (string?)scheme["scheme"]);
        var api = document["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(api);
        foreach (var (path, operations) in api)
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                var security = operation!["security"]?.AsArray();
                Assert.True(security is [JsonObject requirement] && requirement.ContainsKey(ApiReference.BearerScheme), $"{method} {path} does not ask for the Bearer API key");
            }
        }
    }

    [Fact]
    public async Task Document_DescribesOnlyTheApi_NotTheDashboardsOwnUrls()
    {
        var document = JsonNode.Parse(await ServedAsync())!;

        // A feed generating a client from the document must find only what its API key can call; the dashboard's
        // pages and frames (cookie sign-in) are no operations of it.
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/cases", paths);
        Assert.All(paths, p => Assert.StartsWith("/api/", p, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Document_KeyDeclaredAsBearer_IsWhatTheApiAccepts()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var (_, key) = await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync($"openapi-{Guid.NewGuid():N}"[..16], ApiScope.Read, CancellationToken.None);
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cases")).StatusCode);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/cases")).StatusCode);
    }

    [Fact]
    public async Task Viewer_OpensForAnAdmin_WithItsScriptFromThePackage()
    {
        var admin = await DashboardSession.SignedInAsync(factory, OperatorRole.Admin);

        var page = await admin.GetAsync(ApiReference.ViewerPath + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        // Every script is this server's: no CDN, nothing from another origin.
        var sources = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("scalar.js", sources);
        Assert.All(sources, s => Assert.False(Uri.TryCreate(s, UriKind.Absolute, out _) || s.StartsWith("//", StringComparison.Ordinal), $"{s} is loaded from elsewhere"));
        foreach (var source in sources)
        {
            var script = await admin.GetAsync(new Uri(new Uri("http://localhost" + ApiReference.ViewerPath + "/"), source));
            Assert.Equal(HttpStatusCode.OK, script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
        // The page's inline script runs under the policy only through its nonce; the policy keeps every other source out.
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var nonce = Nonce().Match(html).Groups[1].Value;
        Assert.NotEqual("", nonce);
        Assert.Contains($"script-src 'self' 'nonce-{nonce}'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("openapi/v1.json", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Viewer_IsForAdminsOnly()
    {
        var anonymous = DashboardSession.Browser(factory);
        var anonymousPage = await anonymous.GetAsync(ApiReference.ViewerPath + "/");
        Assert.Equal(HttpStatusCode.Redirect, anonymousPage.StatusCode);
        Assert.StartsWith("/login", anonymousPage.Headers.Location?.PathAndQuery, StringComparison.Ordinal);

        foreach (var role in new[] { OperatorRole.Viewer, OperatorRole.Operator })
        {
            var signedIn = await DashboardSession.SignedInAsync(factory, role);
            Assert.Equal(HttpStatusCode.Forbidden, (await signedIn.GetAsync(ApiReference.ViewerPath + "/")).StatusCode);
        }
    }

    [Fact]
    public async Task DashboardPages_KeepTheirPolicy_WithoutANonce()
    {
        var admin = await DashboardSession.SignedInAsync(factory, OperatorRole.Admin);

        var page = await admin.GetAsync("/");

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, string.Join(";", page.Headers.GetValues("Content-Security-Policy")));
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();

    [GeneratedRegex("nonce=\"([^\"]+)\"")]
    private static partial Regex Nonce();
}
