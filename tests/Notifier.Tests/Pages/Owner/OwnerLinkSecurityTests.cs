using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Hosting;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>
/// The token is the owner page's only credential: a wrong, cut or altered one opens nothing, an expired or taken-back
/// one says so, a page shows one case and one contact only, and the token leaks through neither Referer nor caches.
/// </summary>
public sealed class OwnerLinkSecurityTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private async Task<(OwnerSeed Seed, string Address)> ProvenAsync(string contact = "abuse@example.net", Action<Case>? shape = null)
    {
        var address = CaseSeed.Address();
        var seed = await OwnerSeed.CreateAsync(factory, contact: contact, shape: shape, address: address);
        await OwnerEvidenceSeed.AddProofAsync(factory, seed, address);
        return (seed, address);
    }

    private async Task UpdateLinkAsync(long linkId, Action<OwnerLink> change)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        change(await db.OwnerLinks.SingleAsync(l => l.Id == linkId));
        await db.SaveChangesAsync();
    }

    /// <summary>The seed's token cut short, or with one character changed (the first, the middle, the last).</summary>
    public static TheoryData<string> Mangles => new() { "truncated", "tampered-first", "tampered-middle", "tampered-last" };

    private static string Mangle(string token, string how)
    {
        static string Flip(string t, int i) => t[..i] + (t[i] == 'A' ? 'B' : 'A') + t[(i + 1)..];
        return how switch
        {
            "truncated" => token[..^1],
            "tampered-first" => Flip(token, 0),
            "tampered-middle" => Flip(token, token.Length / 2),
            _ => Flip(token, token.Length - 1),
        };
    }

    [Theory]
    [MemberData(nameof(Mangles))]
    public async Task Get_Answers404WithoutCaseData_WhenTheTokenIsTruncatedOrTampered(string how)
    {
        var (seed, address) = await ProvenAsync();
        var response = await OwnerSeed.Anonymous(factory).GetAsync($"/r/{Mangle(seed.Token, how)}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("We do not know this link", html);
        Assert.DoesNotContain(address, html);
        Assert.DoesNotContain("mx.owner.example", html);
        Assert.DoesNotContain("abuse@example.net", html);
        Assert.DoesNotContain("NR-", html);
    }

    [Fact]
    public async Task Get_Answers410Expired_WhenTheLinkHasExpired()
    {
        var (seed, address) = await ProvenAsync();
        await UpdateLinkAsync(seed.LinkId, l => l.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1));
        var response = await OwnerSeed.Anonymous(factory).GetAsync(seed.Url());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("expired", html);
        Assert.DoesNotContain(address, html);
    }

    [Fact]
    public async Task Get_Answers410_WhenAnOperatorRevokedTheLink()
    {
        var (seed, address) = await ProvenAsync();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var links = scope.ServiceProvider.GetRequiredService<OwnerLinks>();
            var outcome = await links.RevokeAsync(seed.CaseId, seed.LinkId, "operator:test", DateTimeOffset.UtcNow, CancellationToken.None);
            Assert.True(outcome?.Revoked);
        }
        var response = await OwnerSeed.Anonymous(factory).GetAsync(seed.Url());
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Contains("The link was withdrawn", html);
        Assert.DoesNotContain(address, html);
    }

    [Fact]
    public async Task Get_Answers410ForTheOldLink_AnHourAfterANewerNoticeCarriedANewOne()
    {
        var (seed, address) = await ProvenAsync();
        var newer = await NewerLinkAsync(seed, DateTimeOffset.UtcNow - OwnerLinks.ReplacedLinkGrace - TimeSpan.FromMinutes(1));
        var client = OwnerSeed.Anonymous(factory);

        var old = await client.GetAsync(seed.Url());
        Assert.Equal(HttpStatusCode.Gone, old.StatusCode);
        Assert.Contains("replaced by the link in a newer notice", await old.Content.ReadAsStringAsync());
        var current = await client.GetAsync(newer);
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Contains(address, await current.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_StillOpensTheOldLink_RightAfterANewerNoticeCarriedANewOne()
    {
        // The owner may be on the page when the thank-you after their own retest replaces the link.
        var (seed, address) = await ProvenAsync();
        await NewerLinkAsync(seed, DateTimeOffset.UtcNow);

        var old = await OwnerSeed.Anonymous(factory).GetAsync(seed.Url());

        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        Assert.Contains(address, await old.Content.ReadAsStringAsync());
    }

    private async Task<string> NewerLinkAsync(OwnerSeed seed, DateTimeOffset at)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var links = new OwnerLinks(db, Options.Create(new NoticePolicyOptions { PublicBaseUrl = "https://desk.example" }));
        var (url, _) = (await links.CreateAsync(seed.CaseId, seed.ContactId, at, CancellationToken.None))!.Value;
        await db.SaveChangesAsync();
        return url[url.IndexOf("/r/", StringComparison.Ordinal)..];
    }

    [Fact]
    public async Task Get_ShowsNothingOfTheContactsOtherCase_WhenTheSameContactHasTwo()
    {
        var contact = $"abuse-{Guid.NewGuid():N}"[..14] + "@shared.example";
        var (mine, myAddress) = await ProvenAsync(contact);
        var (other, otherAddress) = await ProvenAsync(contact);
        var otherReference = (await CaseSeed.ReadAsync(factory, db => db.Cases.SingleAsync(c => c.Id == other.CaseId))).Reference;

        var html = await OwnerSeed.Anonymous(factory).GetStringAsync(mine.Url());

        Assert.Contains(myAddress, html);
        Assert.DoesNotContain(otherAddress, html);
        Assert.DoesNotContain(otherReference, html);
    }

    [Fact]
    public async Task Get_ShowsNothingOfOtherContactsNotesOrAssignee_WhenTheCaseHasThem()
    {
        const string note = "internal-note-7f3a: the owner is a known spammer";
        var (seed, _) = await ProvenAsync(shape: c =>
        {
            c.Note = note;
            c.AssignedTo = "operator-assignee-5c1d";
            CaseWorkflow.AddNote(c, "operator:jo", note, DateTimeOffset.UtcNow);
        });
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var c = await db.Cases.SingleAsync(x => x.Id == seed.CaseId);
            var other = CaseSeed.Contact(c, "other-contact-9b2e@upstream.example");
            other.Rank = 2;
            db.CaseContacts.Add(other);
            await db.SaveChangesAsync();
        }

        var html = await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url());

        Assert.DoesNotContain("other-contact-9b2e", html);
        Assert.DoesNotContain("internal-note-7f3a", html);
        Assert.DoesNotContain("operator-assignee-5c1d", html);
        Assert.DoesNotContain("operator:jo", html);
    }

    /// <summary>The live page and the "not valid" pages alike: the URL holds the token either way.</summary>
    public static TheoryData<string> Kinds => new() { "live", "unknown", "expired" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Get_SendsSecurityHeadersNoStoreAndNoReferrer_OnEveryOwnerPage(string kind)
    {
        var (seed, _) = await ProvenAsync();
        if (kind == "expired") await UpdateLinkAsync(seed.LinkId, l => l.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1));
        var url = kind == "unknown" ? $"/r/{Mangle(seed.Token, "tampered-middle")}" : seed.Url();

        var response = await OwnerSeed.Anonymous(factory).GetAsync(url);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(response.Headers.CacheControl?.NoStore, $"Cache-Control is \"{response.Headers.CacheControl}\"");
        Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\" />", await response.Content.ReadAsStringAsync());
    }
}
