using System.Net;
using System.Net.Http.Json;
using Notifier.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>/suppressions as an operator's browser uses it, against the same list as /api/suppressions.</summary>
public sealed class SuppressionsPageTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private const string HostileReason = "\"><img src=x onerror=alert(1)>";

    private static string Domain() => $"s{Guid.NewGuid():N}"[..12] + ".example";

    [Fact]
    public async Task Add_SuppressesTheDomain_AndTheApiListsItWithTheReason()
    {
        var client = await DashboardSession.SignedInAsync(factory);
        var domain = Domain();

        var post = await PageForm.PostAsync(client, "/suppressions", "/suppressions?handler=Add", new Dictionary<string, string>
        {
            ["Value"] = $"@{domain.ToUpperInvariant()}",
            ["Reason"] = HostileReason,
        });
        var page = await client.GetStringAsync($"/suppressions?q={domain}");
        var api = await (await factory.ClientWithKeyAsync(ApiScope.Read)).GetFromJsonAsync<List<System.Text.Json.JsonElement>>($"/api/suppressions?q={domain}");

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var row = Assert.Single(api!);
        Assert.Equal(domain, row.GetProperty("value").GetString());
        Assert.True(row.GetProperty("isDomain").GetBoolean());
        Assert.Equal(HostileReason, row.GetProperty("reason").GetString());
        Assert.Contains($"<code>{domain}</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", page, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_SaysWhoSuppressedItAlready_WhenTheAddressIsSuppressed()
    {
        var client = await DashboardSession.SignedInAsync(factory);
        var address = $"abuse@{Domain()}";
        await (await factory.ClientWithKeyAsync()).PostAsJsonAsync("/api/suppressions", new { value = address, reason = "asked by phone" });

        var post = await PageForm.PostAsync(client, "/suppressions", "/suppressions?handler=Add", new Dictionary<string, string>
        {
            ["Value"] = address,
            ["Reason"] = "again",
        });
        var html = await post.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Contains($"value: {address} is suppressed already", html, StringComparison.Ordinal);
        Assert.Contains("asked by phone", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_ShowsTheFieldError_WhenTheReasonIsMissing()
    {
        var client = await DashboardSession.SignedInAsync(factory);

        var post = await PageForm.PostAsync(client, "/suppressions", "/suppressions?handler=Add", new Dictionary<string, string> { ["Value"] = "abuse@noreason.example" });

        Assert.Contains("reason: is required", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var api = await (await factory.ClientWithKeyAsync(ApiScope.Read)).GetFromJsonAsync<List<System.Text.Json.JsonElement>>("/api/suppressions?q=noreason.example");
        Assert.Empty(api!);
    }

    [Fact]
    public async Task Search_ShowsOnlyMatches_AndRemoveTakesOneAway()
    {
        var client = await DashboardSession.SignedInAsync(factory);
        var api = await factory.ClientWithKeyAsync();
        var (kept, removed) = (Domain(), Domain());
        await api.PostAsJsonAsync("/api/suppressions", new { value = kept, reason = "opt-out by letter" });
        var created = await (await api.PostAsJsonAsync("/api/suppressions", new { value = removed, reason = "opt-out by letter" })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();

        var post = await PageForm.PostAsync(client, "/suppressions", "/suppressions?handler=Remove", new Dictionary<string, string> { ["id"] = $"{created.GetProperty("id").GetInt32()}" });
        var search = await client.GetStringAsync($"/suppressions?q={kept}");
        var after = await client.GetStringAsync($"/suppressions?q={removed}");

        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        Assert.Contains($"<code>{kept}</code>", search, StringComparison.Ordinal);
        Assert.DoesNotContain(removed, search, StringComparison.Ordinal);
        Assert.Contains("No suppression matches the search.", after, StringComparison.Ordinal);
    }
}
