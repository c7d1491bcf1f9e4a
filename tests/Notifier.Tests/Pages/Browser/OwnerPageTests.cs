using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;
using Notifier.Tests.Pages.Owner;
using static Microsoft.Playwright.Assertions;

namespace Notifier.Tests.Pages.Browser;

/// <summary>
/// The relay owner's page in a real browser on the real service: a notice's link opens the evidence with the
/// transcript, without sign-in and without a console error (the CSP allows no inline script or style); an expired, a
/// revoked and a tampered link each show the page that says so.
/// </summary>
public sealed class OwnerPageTests(Chromium chromium) : IClassFixture<Chromium>
{
    /// <summary>The links of one seeded case, as the path a notice would carry.</summary>
    private sealed record Links(string Address, string Live, string Expired, string Revoked);

    /// <summary>
    /// A notified case in the running service's own database (its SQLite file): the proof, a contact with a live link,
    /// and two more contacts whose links expired and were taken back. Links are made by the real <see cref="OwnerLinks"/>.
    /// </summary>
    private static async Task<Links> SeedAsync(RunningNotifier service)
    {
        var path = Path.Combine(service.Directory, "data", "notifier.db");
        await using var db = new SqliteNotifierDb(new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite(DataExtensions.SqliteConnectionString($"Data Source={path}")).Options);
        var now = DateTimeOffset.UtcNow;
        var address = CaseSeed.Address();
        var c = CaseWorkflow.Open(address, 25, $"{address}:25", "browser test", null, "test", now);
        c.State = CaseState.Monitoring;
        c.NextAction = null;
        c.NextActionAt = null;
        c.FirstNoticeAt = now.AddDays(-1);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        await OwnerEvidenceSeed.AddProofAsync(db, c.Id, address);
        var contacts = new[] { "abuse@owner.test", "noc@owner.test", "postmaster@owner.test" }.Select(a => CaseSeed.Contact(c, a)).ToList();
        db.CaseContacts.AddRange(contacts);
        await db.SaveChangesAsync();
        var links = new OwnerLinks(db, Options.Create(new NoticePolicyOptions { PublicBaseUrl = "https://desk.example" }));
        var paths = new List<string>();
        foreach (var k in contacts)
        {
            var (url, _) = (await links.CreateAsync(c.Id, k.Id, now, CancellationToken.None))!.Value;
            paths.Add(url[url.IndexOf("/r/", StringComparison.Ordinal)..]);
        }
        await db.SaveChangesAsync();
        var expired = await db.OwnerLinks.SingleAsync(l => l.CaseContactId == contacts[1].Id);
        expired.ExpiresAt = now.AddMinutes(-1);
        await db.SaveChangesAsync();
        var revoked = await db.OwnerLinks.SingleAsync(l => l.CaseContactId == contacts[2].Id);
        Assert.True((await links.RevokeAsync(c.Id, revoked.Id, "operator:browser-test", now, CancellationToken.None))?.Revoked);
        return new Links(address, paths[0], paths[1], paths[2]);
    }

    [Fact]
    public async Task OwnerPage_ShowsTheEvidenceAndTheInvalidLinkPages_InChromium()
    {
        await using var service = await RunningNotifier.StartAsync(new Dictionary<string, string> { ["Jobs:RunServer"] = "false" });
        var links = await SeedAsync(service);
        await using var tab = await WatchedPage.OpenAsync(chromium, service.BaseAddress);
        var page = tab.Page;

        // The notice's link: the evidence, the transcript in monospace with the relaying lines marked.
        await tab.GotoAsync(links.Live);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync($"Your mail server {links.Address}");
        var transcript = page.Locator("pre.owner-transcript");
        await Expect(transcript).ToBeVisibleAsync();
        await Expect(transcript).ToContainTextAsync(OwnerEvidenceSeed.RelayingRcpt);
        await Expect(transcript.Locator("mark.relaying").First).ToBeVisibleAsync();
        Assert.Contains("monospace", await transcript.EvaluateAsync<string>("e => getComputedStyle(e).fontFamily"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "How to check it yourself" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "How to close it" })).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync("noc@owner.test");
        await tab.ScreenshotAsync("owner-evidence");
        await tab.AssertCleanAsync();

        // A link with one character changed: unknown, 404.
        var tampered = links.Live[..^1] + (links.Live[^1] == 'A' ? 'B' : 'A');
        tab.ExpectStatus(404, tampered);
        await tab.GotoAsync(tampered);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link does not open a case");
        await Expect(page.Locator("main")).ToContainTextAsync("We do not know this link");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(links.Address);

        // Expired, 410.
        tab.ExpectStatus(410, links.Expired);
        await tab.GotoAsync(links.Expired);
        await Expect(page.Locator("main")).ToContainTextAsync("The link has expired");
        await Expect(page.Locator("main")).Not.ToContainTextAsync(links.Address);

        // Revoked by an operator, 410.
        tab.ExpectStatus(410, links.Revoked);
        await tab.GotoAsync(links.Revoked);
        await Expect(page.Locator("main")).ToContainTextAsync("The link was withdrawn");
        await tab.ScreenshotAsync("owner-link-revoked");
        await tab.AssertCleanAsync();
    }
}
