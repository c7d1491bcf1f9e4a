using System.Net;
using System.Text.Json;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Stats;

/// <summary><c>GET /api/stats</c> over the real service: who may read it, its 400s, and the JSON it answers.</summary>
public sealed class StatsApiTests : IClassFixture<DefaultNotifierFactory>
{
    private readonly DefaultNotifierFactory _factory;

    public StatsApiTests(DefaultNotifierFactory factory) => _factory = factory;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task Get_Answers401_WithoutAKey()
    {
        var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        var response = await client.GetAsync("/api/stats");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_Answers401_WithARevokedOrUnknownKey()
    {
        var client = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "nk_not-a-key");

        var response = await client.GetAsync("/api/stats");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("?from=2026-11-09&to=2026-11-02", "from")]
    [InlineData("?from=2020-01-01&to=2026-01-01", "to")]
    [InlineData("?to=yesterday", "to")]
    [InlineData("?top=0", "top")]
    [InlineData("?top=201", "top")]
    public async Task Get_Answers400NamingTheField_WhenTheQueryIsBad(string query, string field)
    {
        var client = await _factory.ClientWithKeyAsync(ApiScope.Read);

        var response = await client.GetAsync("/api/stats" + query);
        var problem = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Get_AnswersTheStats_WithAReadKey()
    {
        var at = new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero);
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var c = CaseWorkflow.Open("203.0.113.9", 25, "203.0.113.9:25", "test", null, "test", at);
            CaseWorkflow.Close(c, "test", CloseReason.Other, "seeded for the statistics only", at); // nothing due: the dispatcher leaves it alone
            c.Network = "NET-TEST-1";
            db.Cases.Add(c);
            await db.SaveChangesAsync();
        }
        var client = await _factory.ClientWithKeyAsync(ApiScope.Read);

        var response = await client.GetAsync("/api/stats?from=2026-11-02&to=2026-11-09&top=5");
        var stats = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2026-11-02", stats.GetProperty("from").GetString());
        Assert.Equal("2026-11-09", stats.GetProperty("to").GetString());
        var week = Assert.Single(stats.GetProperty("weeks").EnumerateArray().ToList());
        Assert.Equal(("2026-W45", "2026-11-02", 1), (week.GetProperty("week").GetString(), week.GetProperty("start").GetString(), week.GetProperty("opened").GetInt32()));
        var totals = stats.GetProperty("totals");
        Assert.Equal(1, totals.GetProperty("opened").GetInt32());
        Assert.Equal(JsonValueKind.Null, totals.GetProperty("responseRate").ValueKind);
        Assert.Equal(0, totals.GetProperty("timeToFix").GetProperty("count").GetInt32());
        Assert.Equal("203.0.113.0/24", Assert.Single(stats.GetProperty("byPrefix").EnumerateArray().ToList()).GetProperty("key").GetString());
        Assert.Equal("NET-TEST-1", Assert.Single(stats.GetProperty("byNetwork").EnumerateArray().ToList()).GetProperty("key").GetString());
        Assert.Equal("unknown", Assert.Single(stats.GetProperty("byMta").EnumerateArray().ToList()).GetProperty("key").GetString());
    }

    [Fact]
    public async Task Get_AnswersTheStats_ForASignedInOperator()
    {
        var browser = await DashboardSession.SignedInAsync(_factory);

        var response = await browser.GetAsync("/api/stats");
        var stats = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(26, stats.GetProperty("weeks").GetArrayLength());
    }

    [Fact]
    public async Task Get_IsDescribedInTheOpenApiDocument()
    {
        var client = _factory.CreateClient();

        var document = await JsonAsync(await client.GetAsync("/openapi/v1.json"));
        var get = document.GetProperty("paths").GetProperty("/api/stats").GetProperty("get");

        Assert.StartsWith("Case metrics", get.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }
}
