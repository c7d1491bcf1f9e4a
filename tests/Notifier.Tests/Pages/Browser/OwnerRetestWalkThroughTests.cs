using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;
using static Microsoft.Playwright.Assertions;

namespace Notifier.Tests.Pages.Browser;

/// <summary>
/// Issue 14's "How it is tested", in a real browser against the real service process and the lab: the lab's switch
/// relay is reported, confirmed and notified (the notice lands in the outbox); the owner "fixes" it (the test closes
/// the relay), opens the link in the notice as stored in the outbox, sees the evidence page, presses "I fixed it — test
/// again now", watches the dialogue's lines appear and the verdict, and the case is resolved with the thank-you notice
/// in the outbox. Then the page says when the next test is possible, instead of the button.
/// </summary>
[Collection(LabCollection.Name)]
public sealed partial class OwnerRetestWalkThroughTests(Notifier.Tests.Lab.Lab lab, Chromium chromium) : IClassFixture<Chromium>
{
    private const string Owner = "abuse@owner.test";

    private Dictionary<string, string> Settings(string baseUrl)
    {
        var settings = LabServiceSettings.For(lab, LabServiceSettings.NewDeskDomain('o'));
        settings["Urls"] = baseUrl;
        settings["Notices:PublicBaseUrl"] = baseUrl;
        settings["Probing:MinIntervalPerNetwork"] = "00:00:00";
        settings["Jobs:DispatchCron"] = "*/1 * * * * *";
        // The owner's retest right after the notice, not Retests:MinInterval (10 minutes) after the initial probe.
        settings["Retests:MinInterval"] = "00:00:01";
        return settings;
    }

    [Fact]
    public async Task OwnerPage_RetestsTheFixedRelayLiveAndResolvesTheCase_InChromium()
    {
        var baseUrl = $"http://127.0.0.1:{LoopbackPort.Unused()}";
        await using var service = await RunningNotifier.StartAsync(Settings(baseUrl));
        var key = (await service.RunVerbAsync("apikey", "create", "owner-retest")).Trim();
        using var api = new HttpClient { BaseAddress = service.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var caseId = await NotifiedCaseOfTheSwitchRelayAsync(api);
        var link = await OwnerLinkFromTheOutboxAsync(service, api, caseId);
        Assert.StartsWith(baseUrl + "/r/", link, StringComparison.Ordinal);

        try
        {
            // The owner fixes the relay.
            lab.SwitchRelay(Notifier.Tests.Lab.Lab.Closed);

            await using var tab = await WatchedPage.OpenAsync(chromium, service.BaseAddress);
            var page = tab.Page;
            await tab.GotoAsync(link);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Your mail server");
            await tab.ScreenshotAsync("owner-page");

            await page.GetByRole(AriaRole.Button, new() { Name = "I fixed it — test again now" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Test of your mail server");
            // The dialogue's lines as the retest writes them (polled by owner-retest.js), then the verdict.
            var lines = page.Locator("#retest-lines li");
            await Expect(lines.Filter(new() { HasText = "RCPT TO" }).First).ToBeVisibleAsync(new() { Timeout = (float)NoticeLab.Within.TotalMilliseconds });
            await Expect(page.Locator("#retest-verdict")).ToContainTextAsync("Fixed — thank you!", new() { Timeout = (float)NoticeLab.Within.TotalMilliseconds });
            Assert.True(await lines.CountAsync() > 3, "the transcript shows the dialogue");
            await Expect(lines.Filter(new() { HasText = "554" }).First).ToBeVisibleAsync();
            await tab.ScreenshotAsync("owner-retest");
            await tab.AssertCleanAsync();

            // The case is resolved, and the thank-you notice goes out as after a scheduled retest.
            var c = await NoticeLab.CaseAsync(api, caseId);
            Assert.Equal("Resolved", c.GetProperty("case").GetProperty("state").GetString());
            var thanks = await NoticeLab.UntilAsync<JsonElement?>(async () =>
                (await NoticeLab.NoticesAsync(api, caseId)).FirstOrDefault(n => n.GetProperty("kind").GetString() == "Resolved") is { ValueKind: JsonValueKind.Object } n ? n : null,
                async () => (await NoticeLab.CaseAsync(api, caseId)).ToString());
            if (thanks!.Value.GetProperty("state").GetString() == "awaiting-approval") await NoticeLab.ApproveAsync(api, thanks.Value.GetProperty("id").GetInt64());
            var sentThanks = await NoticeLab.UntilAsync<JsonElement?>(async () =>
                (await NoticeLab.NoticesAsync(api, caseId)).FirstOrDefault(n => n.GetProperty("kind").GetString() == "Resolved" && n.GetProperty("state").GetString() == "sent") is { ValueKind: JsonValueKind.Object } n ? n : null,
                async () => string.Join("\n", (await NoticeLab.NoticesAsync(api, caseId)).Select(n => n.ToString())));
            Assert.True(File.Exists(Path.Combine(service.OutboxDirectory, sentThanks!.Value.GetProperty("messageId").GetString() + ".eml")), "the thank-you notice is in the outbox");

            Assert.Single(Regex.Matches((await NoticeLab.CaseAsync(api, caseId)).ToString(), "\"owner-retest\""));

            // The thank-you carries the link now in force (the earlier one is replaced): no button until the next
            // test is possible, and the page says when.
            var thanksText = (await MimeMessage.LoadAsync(Path.Combine(service.OutboxDirectory, sentThanks.Value.GetProperty("messageId").GetString() + ".eml"))).TextBody ?? "";
            var latest = OwnerLink().Match(thanksText);
            Assert.True(latest.Success, "the thank-you notice has no owner page link:\n" + thanksText);
            await tab.GotoAsync(latest.Value);
            // The rate limit in the browser: the next test's time instead of the button.
            await Expect(page.Locator("section#retest")).ToContainTextAsync("Next test possible at");
            await Expect(page.Locator("section#retest")).ToContainTextAsync(new Regex("in (9|10) minutes"));
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "I fixed it — test again now" })).ToHaveCountAsync(0);
            await tab.AssertCleanAsync();
        }
        finally
        {
            lab.SwitchRelay(Notifier.Tests.Lab.Lab.Open);
        }
    }

    /// <summary>
    /// The switch relay (open) reported through the API with the owner's address as a manual rule; confirmed by its
    /// canary, its first notice approved and sent to the outbox (no smarthost configured).
    /// </summary>
    private async Task<int> NotifiedCaseOfTheSwitchRelayAsync(HttpClient api)
    {
        await NoticeLab.AddContactsAsync(api, Owner);
        var relay = lab.EndPoint("SWITCH");
        var created = await api.PostAsJsonAsync("/api/cases", new { address = relay.Address.ToString(), port = relay.Port, source = "owner-retest walk-through" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetInt32();
        var notice = await NoticeLab.AwaitingApprovalAsync(api, id);
        await NoticeLab.ApproveAsync(api, notice.GetProperty("id").GetInt64());
        await NoticeLab.NoticeInStateAsync(api, id, Owner, "sent");
        return id;
    }

    /// <summary>The owner page's link as the owner reads it: in the text of the notice stored in the outbox.</summary>
    private static async Task<string> OwnerLinkFromTheOutboxAsync(RunningNotifier service, HttpClient api, int caseId)
    {
        var sent = await NoticeLab.NoticeInStateAsync(api, caseId, Owner, "sent");
        var eml = Path.Combine(service.OutboxDirectory, sent.GetProperty("messageId").GetString() + ".eml");
        var message = await MimeMessage.LoadAsync(eml);
        var match = OwnerLink().Match(message.TextBody ?? "");
        Assert.True(match.Success, "the notice has no owner page link:\n" + message.TextBody);
        return match.Value;
    }

    [GeneratedRegex(@"https?://[^\s<>""]+/r/[A-Za-z0-9_-]+")]
    private static partial Regex OwnerLink();

}
