using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;
using static Microsoft.Playwright.Assertions;

namespace Notifier.Tests.Pages.Browser;

/// <summary>
/// The owner page's "don't contact us again" and the note to the desk in a real browser against the real service: the
/// relay owner opts out in two steps and writes a note; the operator then finds the note on the case page and the case
/// in the queue's replies section.
/// </summary>
public sealed class OwnerActionsBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private const string Contact = "abuse@owner-browser.test";

    /// <summary>A notified case of a loopback relay with one contact and a live owner link, written into the service's database.</summary>
    private static async Task<(int CaseId, string Reference, string Token)> SeedAsync(RunningNotifier service)
    {
        var path = Path.Combine(service.Directory, "data", "notifier.db");
        await using var db = new SqliteNotifierDb(new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite(DataExtensions.SqliteConnectionString($"Data Source={path}")).Options);
        var now = DateTimeOffset.UtcNow;
        var address = CaseSeed.Address();
        var c = CaseWorkflow.Open(address, 25, $"{address}:25", "browser test", null, "test", now);
        c.NextAction = null;
        c.NextActionAt = null;
        c.State = CaseState.Monitoring;
        c.FirstNoticeAt = now.AddDays(-1);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        var contact = CaseSeed.Contact(c, Contact);
        db.CaseContacts.Add(contact);
        await db.SaveChangesAsync();
        var links = new OwnerLinks(db, Options.Create(new NoticePolicyOptions { PublicBaseUrl = service.BaseAddress.ToString() }));
        var (url, _) = (await links.CreateAsync(c.Id, contact.Id, now, CancellationToken.None))!.Value;
        await db.SaveChangesAsync();
        return (c.Id, c.Reference, url[(url.LastIndexOf('/') + 1)..]);
    }

    [Fact]
    public async Task OwnerOptsOutAndWritesANote_OperatorSeesTheNoteOnTheCase_InChromium()
    {
        await using var service = await RunningNotifier.StartAsync(new Dictionary<string, string> { ["Jobs:RunServer"] = "false" });
        var password = service.FirstAdminPassword();
        var (caseId, reference, token) = await SeedAsync(service);
        await using var tab = await WatchedPage.OpenAsync(chromium, service.BaseAddress);
        var page = tab.Page;

        // "Don't contact us again": the reason, then an explicit yes.
        await tab.GotoAsync($"/r/{token}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Don't contact us again" }).ClickAsync();
        await page.GetByLabel("Why should we stop?").FillAsync("this mailbox is not read by anyone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator("blockquote.owner-reason")).ToHaveTextAsync("this mailbox is not read by anyone");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, stop writing to us" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{Contact} is on our do-not-contact list");
        await tab.AssertCleanAsync();
        await tab.ScreenshotAsync("owner-opt-out");

        // A note to the desk.
        await tab.GotoAsync($"/r/{token}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Write a note to the abuse desk" }).ClickAsync();
        await page.GetByLabel("Your note").FillAsync("We replaced this server last week; the new one is closed.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the note" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("your note is on the case");
        await tab.AssertCleanAsync();

        // The operator: the case in the replies section, the note on its page.
        await tab.GotoAsync("/");
        await page.GetByLabel("User name").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("section#replies").GetByRole(AriaRole.Link, new() { Name = reference, Exact = true }).First).ToBeVisibleAsync();
        await tab.GotoAsync($"/cases/{caseId}");
        await Expect(page.Locator("section.reply").First).ToContainTextAsync("We replaced this server last week; the new one is closed.");
        await Expect(page.Locator("ol.timeline")).ToContainTextAsync("opted out on the owner page");
        await tab.AssertCleanAsync();
        await tab.ScreenshotAsync("owner-note-on-case");
    }
}
