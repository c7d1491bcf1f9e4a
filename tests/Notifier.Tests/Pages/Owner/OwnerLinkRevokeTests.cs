using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>An operator takes back a contact's owner link: on the case page's contacts, or through the API.</summary>
public sealed partial class OwnerLinkRevokeTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    [GeneratedRegex("name=\"linkId\" value=\"(\\d+)\"")]
    private static partial Regex LinkIdField();

    [Fact]
    public async Task CasePage_ShowsTheLiveLinksExpiryAndRevokes_WhenAnOperatorPressesRevoke()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var link = await CaseSeed.ReadAsync(factory, db => db.OwnerLinks.SingleAsync(l => l.Id == seed.LinkId));
        var (_, client) = await factory.OperatorAsync();
        var page = await client.GetStringAsync($"/cases/{seed.CaseId}");
        Assert.Contains($"valid until {link.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", page);
        Assert.Equal(seed.LinkId.ToString(System.Globalization.CultureInfo.InvariantCulture), LinkIdField().Match(page).Groups[1].Value);

        var posted = await PageForm.PostAsync(client, $"/cases/{seed.CaseId}", $"/cases/{seed.CaseId}?handler=RevokeOwnerLink",
            new Dictionary<string, string> { ["linkId"] = seed.LinkId.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await OwnerSeed.Anonymous(factory).GetAsync(seed.Url())).StatusCode);
        var after = await client.GetStringAsync($"/cases/{seed.CaseId}");
        Assert.Contains("owner-link-revoked", after);
        Assert.DoesNotContain("Revoke owner link", after);
        var events = await CaseSeed.ReadAsync(factory, db => db.CaseEvents.Where(e => e.CaseId == seed.CaseId && e.Kind == CaseEventKind.OwnerLinkRevoked).ToListAsync());
        Assert.Single(events);
    }

    [Fact]
    public async Task CasePage_ChangesNothing_WhenAViewerPostsRevoke()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var (_, viewer) = await factory.ViewerAsync();

        var posted = await PageForm.PostAsync(viewer, $"/cases/{seed.CaseId}", $"/cases/{seed.CaseId}?handler=RevokeOwnerLink",
            new Dictionary<string, string> { ["linkId"] = seed.LinkId.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        Assert.NotEqual(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OwnerSeed.Anonymous(factory).GetAsync(seed.Url())).StatusCode);
    }

    [Fact]
    public async Task Api_RevokesTheLink_AndAnswers409WhenItIsNotLiveAnyMore()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        using var api = await factory.ClientWithKeyAsync(ApiScope.Write);
        var url = $"/api/cases/{seed.CaseId}/owner-links/{seed.LinkId}/revoke";

        var first = await api.PostAsync(url, null);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("\"revoked\":true", await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, (await OwnerSeed.Anonymous(factory).GetAsync(seed.Url())).StatusCode);

        var again = await api.PostAsync(url, null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var events = await CaseSeed.ReadAsync(factory, db => db.CaseEvents.CountAsync(e => e.CaseId == seed.CaseId && e.Kind == CaseEventKind.OwnerLinkRevoked));
        Assert.Equal(1, events);
    }

    [Fact]
    public async Task Api_Answers404AndKeepsTheLink_WhenTheLinkIsAnotherCases()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var other = await OwnerSeed.CreateAsync(factory);
        using var api = await factory.ClientWithKeyAsync(ApiScope.Write);

        var response = await api.PostAsync($"/api/cases/{other.CaseId}/owner-links/{seed.LinkId}/revoke", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OwnerSeed.Anonymous(factory).GetAsync(seed.Url())).StatusCode);
    }

    [Fact]
    public async Task Api_RefusesAReadOnlyKey()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        using var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var response = await api.PostAsync($"/api/cases/{seed.CaseId}/owner-links/{seed.LinkId}/revoke", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await OwnerSeed.Anonymous(factory).GetAsync(seed.Url())).StatusCode);
    }
}
