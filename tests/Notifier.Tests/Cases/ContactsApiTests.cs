using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifier.Data;
using Notifier.Tests.Contacts;

namespace Notifier.Tests.Cases;

/// <summary>The running service: a confirmed case gets its contacts through the dispatcher, shown by GET /api/cases/{id}.</summary>
[Collection(ContactsServiceCollection.Name)]
public class ContactsApiTests(ContactsServiceFixture fixture)
{
    private static int _port = 20000;

    private static int NextPort() => Interlocked.Increment(ref _port);

    private static async Task<JsonElement> WaitForContactsAsync(HttpClient client, int caseId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
            if (body.GetProperty("contactLookup").ValueKind != JsonValueKind.Null) return body;
            Assert.True(DateTime.UtcNow < deadline, "no contact lookup recorded within 30 s: " + body);
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task GetCase_ShowsRankedContactsWithProvenance_WhenCaseIsConfirmed()
    {
        var client = await fixture.Service.ClientAsync("read");
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(fixture.Service.Services, "192.0.2.7", NextPort());

        var body = await WaitForContactsAsync(client, caseId);

        var contacts = body.GetProperty("contacts").EnumerateArray().ToList();
        Assert.Equal(7, contacts.Count);
        var first = contacts[0];
        Assert.Equal(1, first.GetProperty("rank").GetInt32());
        Assert.Equal("abuse@customer.example.co.uk", first.GetProperty("address").GetString());
        Assert.Equal("rdap", first.GetProperty("source").GetString());
        Assert.Equal("high", first.GetProperty("confidence").GetString());
        Assert.Equal("active", first.GetProperty("status").GetString());
        Assert.NotEmpty(first.GetProperty("evidence").EnumerateArray().Select(e => e.GetProperty("query").GetString()));
        Assert.Equal("abuse@customer.example.co.uk", body.GetProperty("contactLookup").GetProperty("chosen").GetString());
        Assert.Null(body.GetProperty("case").GetProperty("nextAction").GetString());
        Assert.Contains(body.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "contacts-found"
            && e.GetProperty("summary").GetString()!.StartsWith("Contacts found: chosen abuse@customer.example.co.uk (RDAP abuse for 192.0.2.0/25", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rules_ReRankTheCase_WhenAddedAndRemoved()
    {
        var write = await fixture.Service.ClientAsync("write");
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(fixture.Service.Services, "192.0.2.7", NextPort());
        await WaitForContactsAsync(write, caseId);

        var created = await write.PostAsJsonAsync("/api/contacts/rules",
            new { address = "NOC@Example.org", action = "prefer", scope = "case", caseId, reason = "their NOC asked" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var rule = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("noc@example.org", rule.GetProperty("address").GetString());

        var body = await write.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        var first = body.GetProperty("contacts")[0];
        Assert.Equal(("noc@example.org", "manual", "active"),
            (first.GetProperty("address").GetString(), first.GetProperty("source").GetString(), first.GetProperty("status").GetString()));
        var rules = await write.GetFromJsonAsync<JsonElement>($"/api/contacts/rules?caseId={caseId}");
        Assert.Contains(rules.EnumerateArray(), r => r.GetProperty("id").GetInt32() == rule.GetProperty("id").GetInt32());

        // A re-lookup keeps the manual choice.
        Assert.Equal(HttpStatusCode.Accepted, (await write.PostAsync($"/api/cases/{caseId}/contacts/lookup", null)).StatusCode);
        await WaitUntilAsync(async () => (await write.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}")).GetProperty("events").EnumerateArray()
            .Count(e => e.GetProperty("kind").GetString() == "contacts-found") == 2);
        body = await write.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        Assert.Equal("noc@example.org", body.GetProperty("contactLookup").GetProperty("chosen").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await write.DeleteAsync($"/api/contacts/rules/{rule.GetProperty("id").GetInt32()}")).StatusCode);
        body = await write.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        Assert.Equal("abuse@customer.example.co.uk", body.GetProperty("contactLookup").GetProperty("chosen").GetString());
        var gone = body.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("address").GetString() == "noc@example.org");
        Assert.Equal(JsonValueKind.Null, gone.GetProperty("rank").ValueKind);
    }

    [Fact]
    public async Task Suppressions_SkipAddressWithReason_UntilRemoved()
    {
        var write = await fixture.Service.ClientAsync("write");
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(fixture.Service.Services, "192.0.2.7", NextPort());
        await WaitForContactsAsync(write, caseId);

        var created = await write.PostAsJsonAsync("/api/suppressions", new { value = "Abuse@Customer.Example.co.uk", reason = "opted out" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var s = await created.Content.ReadFromJsonAsync<JsonElement>();
        try
        {
            Assert.Equal(HttpStatusCode.Conflict, (await write.PostAsJsonAsync("/api/suppressions", new { value = "abuse@customer.example.co.uk", reason = "again" })).StatusCode);
            var body = await write.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
            var skipped = body.GetProperty("contacts").EnumerateArray().Single(c => c.GetProperty("address").GetString() == "abuse@customer.example.co.uk");
            Assert.Equal("suppressed", skipped.GetProperty("status").GetString());
            Assert.Contains("opted out", skipped.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal("abuse@lir.example.net", body.GetProperty("contactLookup").GetProperty("chosen").GetString());
            var list = await write.GetFromJsonAsync<JsonElement>("/api/suppressions?q=customer");
            Assert.Contains(list.EnumerateArray(), x => x.GetProperty("value").GetString() == "abuse@customer.example.co.uk");
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await write.DeleteAsync($"/api/suppressions/{s.GetProperty("id").GetInt32()}")).StatusCode);
        }
        var after = await write.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        Assert.Equal("abuse@customer.example.co.uk", after.GetProperty("contactLookup").GetProperty("chosen").GetString());
    }

    [Theory]
    [InlineData("/api/contacts/rules", """{ "address": "not-an-address", "action": "add", "scope": "case", "caseId": 1 }""", "address")]
    [InlineData("/api/contacts/rules", """{ "address": "a@example.org", "action": "love", "scope": "case", "caseId": 1 }""", "action")]
    [InlineData("/api/contacts/rules", """{ "address": "a@example.org", "action": "add", "scope": "planet" }""", "scope")]
    [InlineData("/api/contacts/rules", """{ "address": "a@example.org", "action": "add", "scope": "case" }""", "caseId")]
    [InlineData("/api/contacts/rules", """{ "address": "a@example.org", "action": "add", "scope": "case", "caseId": 999999 }""", "caseId")]
    [InlineData("/api/contacts/rules", """{ "address": "a@example.org", "action": "add", "scope": "domain", "domain": "not a domain" }""", "domain")]
    [InlineData("/api/contacts/rules", """{ "address": "a@example.org", "action": "add", "scope": "network", "network": "192.0.2.0/33" }""", "network")]
    [InlineData("/api/contacts/rules", """{ "address": "a@example.org", "action": "add", "scope": "network", "network": "192.0.2.7/24" }""", "network")]
    [InlineData("/api/contacts/rules", """{ "address": "a@example.org", "action": "add", "scope": "network", "network": "192.0.2.7" }""", "network")]
    [InlineData("/api/suppressions", """{ "value": "x@", "reason": "r" }""", "value")]
    [InlineData("/api/suppressions", """{ "value": "localhost", "reason": "r" }""", "value")]
    [InlineData("/api/suppressions", """{ "value": "example.org" }""", "reason")]
    public async Task Post_Returns400NamingTheField_WhenInputIsBad(string path, string json, string field)
    {
        var write = await fixture.Service.ClientAsync("write");
        var response = await write.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Post_NamesTheNetworkMeant_WhenHostBitsAreSet()
    {
        var write = await fixture.Service.ClientAsync("write");
        var response = await write.PostAsJsonAsync("/api/contacts/rules", new { address = "a@example.org", action = "add", scope = "network", network = "192.0.2.7/24" });
        Assert.Contains("192.0.2.0/24", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/api/cases/1/contacts/lookup")]
    [InlineData("POST", "/api/contacts/rules")]
    [InlineData("GET", "/api/contacts/rules")]
    [InlineData("DELETE", "/api/contacts/rules/1")]
    [InlineData("POST", "/api/suppressions")]
    [InlineData("GET", "/api/suppressions")]
    [InlineData("DELETE", "/api/suppressions/1")]
    public async Task Endpoints_Return401_WithoutApiKey(string method, string path)
    {
        using var client = fixture.Service.CreateClient();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("POST", "/api/cases/1/contacts/lookup")]
    [InlineData("POST", "/api/contacts/rules")]
    [InlineData("DELETE", "/api/contacts/rules/1")]
    [InlineData("POST", "/api/suppressions")]
    [InlineData("DELETE", "/api/suppressions/1")]
    public async Task WriteEndpoints_Return403_WithReadKey(string method, string path)
    {
        var client = await fixture.Service.ClientAsync("read");
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Lookup_Returns202AndNeverLooksUpInline_WhenCaseIsOpen()
    {
        var write = await fixture.Service.ClientAsync("write");
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(fixture.Service.Services, "192.0.2.7", NextPort());
        await WaitForContactsAsync(write, caseId);

        var response = await write.PostAsync($"/api/cases/{caseId}/contacts/lookup", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("scheduled").GetBoolean());
        Assert.Equal("lookup-contacts", body.GetProperty("case").GetProperty("nextAction").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await write.PostAsync("/api/cases/999999/contacts/lookup", null)).StatusCode);
        await WaitUntilAsync(async () => await Db(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.NextAction).SingleAsync()) is null);
    }

    private async Task<T> Db<T>(Func<NotifierDb, Task<T>> query)
    {
        await using var scope = fixture.Service.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<NotifierDb>());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            await Task.Delay(200);
        }
    }
}
