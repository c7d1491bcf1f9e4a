using System.Net;
using System.Net.Http.Json;
using Notifier.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Contacts;

/// <summary>/contacts/rules as an operator's browser uses it, against the same rules as /api/contacts/rules.</summary>
public sealed class RulesPageTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private const string HostileReason = "<script>alert('rule')</script>";

    [Fact]
    public async Task Add_ListsTheRuleWithItsReasonEncoded_AndTheApiSeesIt()
    {
        var client = await DashboardSession.SignedInAsync(factory);
        var domain = $"d{Guid.NewGuid():N}"[..12] + ".example";

        var post = await PageForm.PostAsync(client, "/contacts/rules", "/contacts/rules?handler=Add", new Dictionary<string, string>
        {
            ["Address"] = $"Abuse@{domain}",
            ["Action"] = "prefer",
            ["Scope"] = "domain",
            ["Domain"] = domain,
            ["Reason"] = HostileReason,
        });
        var page = await client.GetStringAsync($"/contacts/rules?q={domain}");
        var api = await (await factory.ClientWithKeyAsync(ApiScope.Read)).GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/contacts/rules?address=abuse@{domain}");

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains($"abuse@{domain}", page, StringComparison.Ordinal);
        Assert.Contains($"domain {domain}", page, StringComparison.Ordinal);
        Assert.DoesNotContain(HostileReason, page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
        var rule = Assert.Single(api!);
        Assert.Equal("prefer", rule.GetProperty("action").GetString());
        Assert.StartsWith("operator:", rule.GetProperty("addedBy").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remove_TakesTheRuleAway()
    {
        var client = await DashboardSession.SignedInAsync(factory);
        var domain = $"r{Guid.NewGuid():N}"[..12] + ".example";
        var api = await factory.ClientWithKeyAsync();
        var created = await (await api.PostAsJsonAsync("/api/contacts/rules", new { address = $"abuse@{domain}", action = "disable", scope = "domain", domain }))
            .Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        var id = created.GetProperty("id").GetInt32();

        var post = await PageForm.PostAsync(client, "/contacts/rules", "/contacts/rules?handler=Remove", new Dictionary<string, string> { ["id"] = $"{id}" });
        var page = await client.GetStringAsync($"/contacts/rules?q={domain}");

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.DoesNotContain($"data-rule-id=\"{id}\"", page, StringComparison.Ordinal);
        Assert.Contains("No rule matches the filter.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ShowsTheFieldErrorAndKeepsTheForm_WhenTheCaseIsUnknown()
    {
        var client = await DashboardSession.SignedInAsync(factory);

        var post = await PageForm.PostAsync(client, "/contacts/rules", "/contacts/rules?handler=Add", new Dictionary<string, string>
        {
            ["Address"] = "abuse@kept.example",
            ["Action"] = "add",
            ["Scope"] = "case",
            ["Case"] = "NR-999999",
        });
        var html = await post.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains("caseId: there is no case 999999", html, StringComparison.Ordinal);
        Assert.Contains("value=\"abuse@kept.example\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ShowsNoForms_WhenTheUserIsAViewer()
    {
        var api = await factory.ClientWithKeyAsync();
        var domain = $"v{Guid.NewGuid():N}"[..12] + ".example";
        await api.PostAsJsonAsync("/api/contacts/rules", new { address = $"abuse@{domain}", action = "add", scope = "domain", domain });
        var viewer = await DashboardSession.SignedInAsync(factory, OperatorRole.Viewer);

        var page = await viewer.GetStringAsync($"/contacts/rules?q={domain}");

        Assert.Contains($"abuse@{domain}", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Add", page, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Remove", page, StringComparison.Ordinal);
    }
}
