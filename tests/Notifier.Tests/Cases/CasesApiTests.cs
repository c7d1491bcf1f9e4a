using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Notifier.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>The REST API over the real service and a real SQLite file; private targets refused as in production.</summary>
public sealed class CasesApiTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "Intake", "Samples");

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r) =>
        JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task PostCase_401_WithoutKeyOrWithUnknownKey()
    {
        var anonymous = factory.CreateClient();
        var r1 = await anonymous.PostAsJsonAsync("/api/cases", new { address = "8.8.4.4" });
        anonymous.DefaultRequestHeaders.Authorization = new("Bearer", "nk_00000000deadbeefdeadbeefdeadbeefdeadbeef");
        var r2 = await anonymous.PostAsJsonAsync("/api/cases", new { address = "8.8.4.4" });
        var r3 = await anonymous.GetAsync("/api/cases");

        Assert.Equal(HttpStatusCode.Unauthorized, r1.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, r2.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, r3.StatusCode);
        Assert.Equal("application/problem+json", r1.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostCase_403_WithReadOnlyKey_WhileGetWorks()
    {
        var client = await factory.ClientWithKeyAsync(ApiScope.Read);

        var post = await client.PostAsJsonAsync("/api/cases", new { address = "8.8.4.4" });
        var get = await client.GetAsync("/api/cases");

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
    }

    [Fact]
    public async Task PostCase_401_WhenKeyWasRevoked()
    {
        var name = $"revoked-{Guid.NewGuid():N}";
        string secret;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var keys = scope.ServiceProvider.GetRequiredService<ApiKeys>();
            (_, secret) = await keys.CreateAsync(name, ApiScope.Write, CancellationToken.None);
            await keys.RevokeAsync(name, CancellationToken.None);
        }
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", secret);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cases")).StatusCode);
    }

    [Fact]
    public async Task PostCase_CreatesThenDeduplicates_ReportForTheSameRelay()
    {
        var client = await factory.ClientWithKeyAsync();

        var first = await client.PostAsJsonAsync("/api/cases", new { address = "77.88.8.8", port = 25, source = "feed-a", note = "spam run" });
        var second = await client.PostAsJsonAsync("/api/cases", new { address = "77.88.8.8", source = "feed-b" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var a = await JsonAsync(first);
        var b = await JsonAsync(second);
        Assert.Equal(a.GetProperty("id").GetInt32(), b.GetProperty("id").GetInt32());
        Assert.Matches(@"^NR-\d{6}$", a.GetProperty("reference").GetString());
        Assert.Equal("New", a.GetProperty("state").GetString());
        Assert.Equal(first.Headers.Location?.ToString(), $"/api/cases/{a.GetProperty("id").GetInt32()}");

        var detail = await JsonAsync(await client.GetAsync($"/api/cases/{a.GetProperty("id").GetInt32()}"));
        var events = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Contains("created", events);
        Assert.Contains("reported", events);
    }

    [Theory]
    [InlineData("{\"address\":\"999.1.1.1\"}", "address")]
    [InlineData("{\"address\":\"\"}", "address")]
    [InlineData("{\"address\":\"8.8.8.8\",\"port\":0}", "port")]
    [InlineData("{\"address\":\"8.8.8.8\",\"port\":70000}", "port")]
    [InlineData("{\"address\":\"192.168.1.1\"}", "address")]
    [InlineData("{\"address\":\"127.0.0.1\"}", "address")]
    [InlineData("{\"address\":\"8.8.8.8\",\"source\":\"a\\nb\"}", "source")]
    public async Task PostCase_400NamingTheField_WhenInputIsBad(string body, string field)
    {
        var client = await factory.ClientWithKeyAsync();

        var r = await client.PostAsync("/api/cases", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var problem = await JsonAsync(r);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [MemberData(nameof(Notifier.Tests.Probing.IpAddressTextTests.MistypedIPv4), MemberType = typeof(Notifier.Tests.Probing.IpAddressTextTests))]
    public async Task PostCase_400NamingTheAddress_WhenADottedQuadIsMistyped(string address)
    {
        var client = await factory.ClientWithKeyAsync();

        var r = await client.PostAsJsonAsync("/api/cases", new { address });

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True((await JsonAsync(r)).GetProperty("errors").TryGetProperty("address", out _));
    }

    [Fact]
    public async Task PostCase_400_WhenJsonIsMalformed()
    {
        var client = await factory.ClientWithKeyAsync();

        var r = await client.PostAsync("/api/cases", new StringContent("{\"address\":", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
    }

    [Fact]
    public async Task GetCase_404_WhenUnknown()
    {
        var client = await factory.ClientWithKeyAsync(ApiScope.Read);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/cases/999999")).StatusCode);
    }

    [Fact]
    public async Task ListCases_FiltersByStateAndText_AndRejectsUnknownState()
    {
        var client = await factory.ClientWithKeyAsync();
        await client.PostAsJsonAsync("/api/cases", new { address = "1.0.0.1", source = "list-test-source" });

        var found = await JsonAsync(await client.GetAsync("/api/cases?q=list-test-source"));
        var bad = await client.GetAsync("/api/cases?state=Bogus");
        var badPage = await client.GetAsync("/api/cases?page=0");

        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal("1.0.0.1", found.GetProperty("items")[0].GetProperty("address").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPage.StatusCode);
    }

    [Fact]
    public async Task ImportCsv_ImportsGoodRows_AndReportsBadOnesWithLineNumbers()
    {
        var client = await factory.ClientWithKeyAsync();
        var csv = "address,port,source,note\n4.2.2.1,25,csv-feed,first\nnot-an-ip,25,csv-feed,x\n4.2.2.2,0,csv-feed,bad port\n10.0.0.1,25,csv-feed,private\n4.2.2.3,,csv-feed,\n";

        var r = await client.PostAsync("/api/cases/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var report = await JsonAsync(r);
        Assert.Equal([2, 6], report.GetProperty("imported").EnumerateArray().Select(i => i.GetProperty("line").GetInt32()));
        var rejected = report.GetProperty("rejected").EnumerateArray().Select(x => (x.GetProperty("line").GetInt32(), x.GetProperty("field").GetString())).ToList();
        Assert.Equal([(3, "address"), (4, "port"), (5, "address")], rejected);
    }

    [Fact]
    public async Task ImportCsv_400AndNothingStored_WhenFileIsBroken()
    {
        var client = await factory.ClientWithKeyAsync();
        var before = (await JsonAsync(await client.GetAsync("/api/cases?q=5.5.5."))).GetProperty("total").GetInt32();
        var csv = "address,port\n5.5.5.1,25\n\"5.5.5.2,25\n";

        var r = await client.PostAsync("/api/cases/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True((await JsonAsync(r)).GetProperty("errors").TryGetProperty("file", out _));
        Assert.Equal(before, (await JsonAsync(await client.GetAsync("/api/cases?q=5.5.5."))).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task ImportCsv_AcceptsMultipartUpload_OfASampleFile()
    {
        var client = await factory.ClientWithKeyAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(Samples, "good.csv"))), "file", "good.csv");

        var r = await client.PostAsync("/api/cases/import", form);

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.NotEmpty((await JsonAsync(r)).GetProperty("imported").EnumerateArray());
    }

    [Fact]
    public async Task PostSample_OpensCaseForFirstUntrustedHop_AndKeepsTheSample()
    {
        var client = await factory.ClientWithKeyAsync();
        var eml = await File.ReadAllBytesAsync(Path.Combine(Samples, "exchange-chain.eml"));

        var r = await client.PostAsync("/api/samples", new ByteArrayContent(eml) { Headers = { ContentType = new("message/rfc822") } });

        Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await r.Content.ReadAsStringAsync());
        var report = await JsonAsync(r);
        var id = report.GetProperty("case").GetProperty("id").GetInt32();
        var detail = await JsonAsync(await client.GetAsync($"/api/cases/{id}"));
        Assert.Equal(eml.Length, detail.GetProperty("samples")[0].GetProperty("size").GetInt32());
        Assert.Contains(detail.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "sample-added");
    }

    [Fact]
    public async Task PostSample_400_WhenNoReceivedHeaders()
    {
        var client = await factory.ClientWithKeyAsync();
        var eml = await File.ReadAllBytesAsync(Path.Combine(Samples, "no-received.eml"));

        var r = await client.PostAsync("/api/samples", new ByteArrayContent(eml));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True((await JsonAsync(r)).GetProperty("errors").TryGetProperty("sample", out _));
    }

    [Fact]
    public async Task ProbeNow_And_Close_ChangeTheCase_AndWriteTheTimeline()
    {
        var client = await factory.ClientWithKeyAsync();
        var created = await JsonAsync(await client.PostAsJsonAsync("/api/cases", new { address = "77.88.8.1" }));
        var id = created.GetProperty("id").GetInt32();

        var probe = await client.PostAsync($"/api/cases/{id}/probe", null);
        var close = await client.PostAsJsonAsync($"/api/cases/{id}/close", new { reason = "duplicate", note = "duplicate of a ticket" });
        var probeClosed = await client.PostAsync($"/api/cases/{id}/probe", null);
        var again = await client.PostAsJsonAsync("/api/cases", new { address = "77.88.8.1" });

        Assert.Equal(HttpStatusCode.Accepted, probe.StatusCode);
        Assert.Equal(HttpStatusCode.OK, close.StatusCode);
        Assert.Equal("Closed", (await JsonAsync(close)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, probeClosed.StatusCode);
        // A closed case frees the relay: a new report opens a new case.
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.NotEqual(id, (await JsonAsync(again)).GetProperty("id").GetInt32());
        var detail = await JsonAsync(await client.GetAsync($"/api/cases/{id}"));
        Assert.Contains(detail.GetProperty("events").EnumerateArray(), e => e.GetProperty("summary").GetString()!.Contains("duplicate of a ticket", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/cases/999999/probe", null)).StatusCode);
    }

    [Fact]
    public async Task Health_And_OpenApi_AreServed()
    {
        var client = factory.CreateClient();

        var health = await client.GetAsync("/healthz");
        var openapi = await JsonAsync(await client.GetAsync("/openapi/v1.json"));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"database\"", await health.Content.ReadAsStringAsync());
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/cases", out _));
    }

    [Fact]
    public async Task Dashboard_RedirectsToLogin_WhenSignedOut()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var r = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/login", r.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }
}
