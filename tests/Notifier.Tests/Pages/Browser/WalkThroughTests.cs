using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;
using static Microsoft.Playwright.Assertions;

namespace Notifier.Tests.Pages.Browser;

/// <summary>
/// Issue 13's "Done when", in a real browser: a new user starts the service on an empty database, signs in with the
/// password it printed, finds a confirmed case in the queue, opens it, previews and approves its notice, sees it
/// sent in the outbox, retests, sees the timeline grow and closes the case. The case is made as in production: the lab's open
/// Postfix relay reported through the API, probed by the service, confirmed by its canary through Dovecot, its
/// contact ranked from a manual network rule.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class WalkThroughTests(Notifier.Tests.Lab.Lab lab, Chromium chromium) : IClassFixture<Chromium>
{
    private const string Owner = "abuse@owner.test";

    private Dictionary<string, string> Settings()
    {
        var settings = LabServiceSettings.For(lab, LabServiceSettings.NewDeskDomain('w'));
        settings["Probing:MinIntervalPerNetwork"] = "00:00:00";
        settings["Jobs:DispatchCron"] = "*/1 * * * * *";
        // "Retest now" right after the notice, not Retests:MinInterval (10 minutes) later.
        settings["Retests:MinInterval"] = "00:00:01";
        return settings;
    }

    [Fact]
    public async Task FirstRun_OperatorWorksConfirmedCaseEndToEnd_InChromium()
    {
        await using var service = await RunningNotifier.StartAsync(Settings());
        var password = service.FirstAdminPassword();
        var (caseId, reference) = await ReportConfirmedCaseAsync(service);

        await using var tab = await WatchedPage.OpenAsync(chromium, service.BaseAddress);
        var page = tab.Page;

        // Signing in: the dashboard sends an anonymous visitor to the sign-in page and back.
        await tab.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Queue", Level = 1 })).ToBeVisibleAsync();
        await tab.AssertCleanAsync();

        // The queue lists the confirmed case under the notices awaiting approval.
        var link = page.Locator("section#approval").GetByRole(AriaRole.Link, new() { Name = reference, Exact = true });
        await Expect(link.First).ToBeVisibleAsync();
        await tab.ScreenshotAsync("queue");

        // Its page: the header and the notice that awaits approval.
        await link.First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(reference);
        await tab.AssertCleanAsync();

        // Preview before approval: what the owner would read, rendered and not sent.
        var preview = page.Locator("section#preview");
        await preview.GetByRole(AriaRole.Button, new() { NameRegex = PreviewButton() }).ClickAsync();
        await Expect(preview).ToContainTextAsync("not sent");
        await Expect(preview).ToContainTextAsync($"[{reference}]");
        await Expect(preview).ToContainTextAsync(Owner);
        await tab.AssertCleanAsync();

        // Approve: the notice is built and lands in the outbox (no smarthost configured, as on a first run).
        await page.GetByRole(AriaRole.Button, new() { NameRegex = ApproveButton() }).First.ClickAsync();
        await tab.AssertCleanAsync();
        var sent = await NoticeLab.NoticeInStateAsync(ApiClient(service, _key!), caseId, Owner, "sent");
        var messageId = sent.GetProperty("messageId").GetString()!;
        Assert.Single(Directory.GetFiles(service.OutboxDirectory, "*.eml"), f => Path.GetFileName(f) == messageId + ".eml");
        await tab.GotoAsync($"/cases/{caseId}");
        await Expect(page.Locator($"#notice-{sent.GetProperty("id").GetInt64()}")).ToContainTextAsync("Sent");
        await Expect(page.GetByText(messageId).First).ToBeVisibleAsync();

        // The outbox page lists it as sent.
        await tab.GotoAsync("/outbox");
        var outboxRow = page.Locator($"section#outbox tr[data-notice-id=\"{sent.GetProperty("id").GetInt64()}\"]");
        await Expect(outboxRow).ToContainTextAsync(Notifier.Cases.NoticeState.Sent);
        await Expect(outboxRow).ToContainTextAsync(Owner);
        await outboxRow.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(reference);
        await tab.AssertCleanAsync();

        // Retest now: the timeline gains the queued retest at once, then its finished probe.
        var timeline = page.Locator("ol.timeline > li");
        var before = await timeline.CountAsync();
        var probesBefore = await timeline.Filter(new() { HasText = "probe-finished" }).CountAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Retest now" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("retest");
        await tab.AssertCleanAsync();
        Assert.True(await timeline.CountAsync() > before, "the timeline did not show the retest request");
        await ReloadUntilAsync(tab, async () => await timeline.Filter(new() { HasText = "probe-finished" }).CountAsync() > probesBefore, "the retest's probe on the timeline");
        await tab.ScreenshotAsync("case");

        // Close it with a reason: the header says Closed and the actions are gone.
        var close = page.Locator("form", new() { Has = page.GetByRole(AriaRole.Button, new() { Name = "Close case" }) });
        await close.GetByLabel("Reason").SelectOptionAsync("fixed");
        await close.GetByLabel("Note").FillAsync("owner fixed it, seen in the walk-through");
        await close.GetByRole(AriaRole.Button, new() { Name = "Close case" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Closed");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retest now" })).ToHaveCountAsync(0);
        await tab.AssertCleanAsync();
        var closed = await NoticeLab.CaseAsync(ApiClient(service, _key!), caseId);
        Assert.Equal("Closed", closed.GetProperty("case").GetProperty("state").GetString());

        // The stats page counts it.
        await tab.GotoAsync("/stats");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stats", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator("section#weeks svg").First).ToBeVisibleAsync();
        await tab.ScreenshotAsync("stats");
        await tab.AssertCleanAsync();
    }

    private string? _key;

    /// <summary>
    /// As README's first-run section does it: an API key from the CLI, the owner's address as a manual rule for the
    /// lab's network, the relay reported; then waits until the service has confirmed it and planned its notice.
    /// </summary>
    private async Task<(int Id, string Reference)> ReportConfirmedCaseAsync(RunningNotifier service)
    {
        _key = (await service.RunVerbAsync("apikey", "create", "walk-through")).Trim();
        using var api = ApiClient(service, _key);
        await NoticeLab.AddContactsAsync(api, Owner);
        var relay = lab.EndPoint("OPEN");
        var created = await api.PostAsJsonAsync("/api/cases", new { address = relay.Address.ToString(), port = relay.Port, source = "walk-through" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = json.GetProperty("id").GetInt32();
        await NoticeLab.AwaitingApprovalAsync(api, id);
        return (id, json.GetProperty("reference").GetString()!);
    }

    private static HttpClient ApiClient(RunningNotifier service, string key)
    {
        var client = new HttpClient { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Reloads the page (as an operator waiting for a job would) until <paramref name="done"/> holds.</summary>
    private static async Task ReloadUntilAsync(WatchedPage tab, Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + NoticeLab.Within;
        while (!await done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {NoticeLab.Within}: {what}");
            await Task.Delay(1000);
            await tab.Page.ReloadAsync();
            await tab.AssertCleanAsync();
        }
    }

    [GeneratedRegex("^(Preview|Show)$")]
    private static partial Regex PreviewButton();

    [GeneratedRegex("^Approve")]
    private static partial Regex ApproveButton();
}
