using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Notifier.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>The operators' dashboard as a browser uses it: sign in with a form and a cookie, see the queue, act on a case.</summary>
public sealed partial class DashboardTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private Task<HttpClient> SignedInAsync() => DashboardSession.SignedInAsync(factory);

    private static string Token(string html) => DashboardSession.Token(html);

    [Fact]
    public async Task Login_RefusesWrongPassword()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.GetStringAsync("/login");

        var r = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin",
            ["Password"] = "wrong",
            ["__RequestVerificationToken"] = Token(login),
        }));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("wrong password", await r.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Queue_ShowsReportedCase_AndCasePageClosesIt()
    {
        var api = await factory.ClientWithKeyAsync();
        var created = await api.PostAsJsonAsync("/api/cases", new { address = "77.88.9.9", source = "dashboard-test" });
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetInt32();
        var client = await SignedInAsync();

        var queue = await client.GetStringAsync("/cases?q=dashboard-test");
        var page = await client.GetStringAsync($"/cases/{id}");
        var close = await client.PostAsync($"/cases/{id}?handler=Close", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["reason"] = "owner fixed it by phone",
            ["__RequestVerificationToken"] = Token(page),
        }));
        var after = await client.GetStringAsync($"/cases/{id}");

        Assert.Contains("77.88.9.9:25", queue);
        Assert.Contains($"NR-{id:D6}", queue);
        Assert.Equal(HttpStatusCode.Redirect, close.StatusCode);
        Assert.Contains("state-closed", after);
        Assert.Contains("owner fixed it by phone", after);
        Assert.Contains($"operator:", after);
    }

    [Fact]
    public async Task NewCaseForm_ShowsTheFieldError_WhenAddressIsPrivate()
    {
        var client = await SignedInAsync();
        var form = await client.GetStringAsync("/cases/new");

        var r = await client.PostAsync("/cases/new?handler=One", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Address"] = "10.1.2.3",
            ["Port"] = "25",
            ["__RequestVerificationToken"] = Token(form),
        }));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("address:", await r.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task JobsDashboard_NeedsASignedInOperator()
    {
        var anonymous = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var client = await SignedInAsync();

        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync("/hangfire")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/hangfire")).StatusCode);
    }
}
