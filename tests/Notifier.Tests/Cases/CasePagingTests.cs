using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Notifier.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>Page numbers and sizes out of range are refused naming the field, in the API and the queue page; they never wrap to page 1.</summary>
public sealed class CasePagingTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    [Theory]
    [InlineData("page=20000000&pageSize=200", "page")]
    [InlineData("page=2147483647", "page")]
    [InlineData("page=1&pageSize=201", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=99999999999", "page")]
    [InlineData("page=1&pageSize=1.5", "pageSize")]
    public async Task ListCases_400NamingTheField_WhenPageIsOutOfRange(string query, string field)
    {
        var client = await factory.ClientWithKeyAsync();

        var r = await client.GetAsync($"/api/cases?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ListCases_ReturnsTheLastAllowedPage_Empty()
    {
        var client = await factory.ClientWithKeyAsync();

        var page = await client.GetFromJsonAsync<JsonElement>($"/api/cases?page={CasePaging.MaxPage}&pageSize={CasePaging.MaxPageSize}");

        Assert.Equal(CasePaging.MaxPage, page.GetProperty("page").GetInt32());
        Assert.Equal(0, page.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("99999999")]
    [InlineData("1e3")]
    public async Task Queue_400NamingP_WhenThePageNumberIsNotAPage(string p)
    {
        var client = await DashboardSession.SignedInAsync(factory);

        var r = await client.GetAsync($"/cases?p={p}");

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("p: must be", await r.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("25.5")]
    public async Task NewCaseForm_ShowsThePortError_AndOpensNoCase_WhenPortIsNotAWholeNumber(string port)
    {
        var client = await DashboardSession.SignedInAsync(factory);
        var form = await client.GetStringAsync("/cases/new");

        var r = await client.PostAsync("/cases/new?handler=One", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Address"] = "89.160.32.1",
            ["Port"] = port,
            ["__RequestVerificationToken"] = DashboardSession.Token(form),
        }));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("port:", await r.Content.ReadAsStringAsync());
        var api = await factory.ClientWithKeyAsync();
        var found = await api.GetFromJsonAsync<JsonElement>("/api/cases?q=89.160.32.1");
        Assert.Equal(0, found.GetProperty("total").GetInt32());
    }
}
