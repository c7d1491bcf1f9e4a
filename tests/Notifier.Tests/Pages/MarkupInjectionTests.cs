using System.Net;
using Notifier.Auth;
using Notifier.Tests.Auth;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>
/// A case whose every text field holds markup (source, note, a note event, the probe's host name, banner, MTA and
/// transcript, a contact's address and reason, a reply's subject and sender name): no dashboard page may echo it
/// unencoded, or the markup would run in an operator's browser with their session; nor may an owner page
/// (<c>/r/&lt;token&gt;</c>), which shows the host name, banner, MTA and transcript to anyone with the link.
/// </summary>
public sealed class MarkupInjectionTests(RolesNotifierFactory factory) : IClassFixture<RolesNotifierFactory>
{
    // Both payloads in one text: a script element, and one that breaks out of an attribute value.
    private const string Script = "<script>alert(1)</script>";
    private const string AttributeBreakout = "\"><img src=x onerror=alert(1)>";

    [Fact]
    public async Task EveryPage_EncodesTheCasesText_WhenItHoldsMarkup()
    {
        var seed = await DashboardSeed.CreateAsync(factory, "198.51.100.62", Script + AttributeBreakout);
        var admin = await DashboardSession.SignedInAsync(factory, OperatorRole.Admin);
        var pages = RouteTable.Expected
            .Where(r => r.Access == RouteAccess.Page || r.Access == RouteAccess.AdminPage || r.Access == RouteAccess.Jobs || r.Access == RouteAccess.OwnerPage)
            .Select(r => r.UrlFor(seed))
            // The case page's preview renders the planned notice from the same fields.
            .Append($"/cases/{seed.CaseId}?handler=Preview&kind=FirstNotice")
            .ToList();
        var shown = 0;
        var ownerShown = 0;

        foreach (var url in pages)
        {
            using var r = await admin.GetAsync(url);
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{url}: {(int)r.StatusCode}");
            var html = await r.Content.ReadAsStringAsync();
            Assert.False(html.Contains(Script, StringComparison.OrdinalIgnoreCase), $"{url} shows the <script> element unencoded");
            Assert.False(html.Contains("<img src=x", StringComparison.OrdinalIgnoreCase), $"{url} shows the <img onerror> element unencoded");
            if (html.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", StringComparison.Ordinal))
            {
                shown++;
                if (url.StartsWith("/r/", StringComparison.Ordinal)) ownerShown++;
            }
        }

        // The payload did reach the pages (encoded): the case page at least shows the case's fields.
        Assert.True(shown > 0, "no page showed the seeded text at all, so the test proved nothing");
        // The owner page shows the probe's host name, banner, MTA and transcript, so it was tested with the payload too.
        Assert.True(ownerShown > 0, "the owner page showed none of the seeded text, so it was not tested");
    }
}
