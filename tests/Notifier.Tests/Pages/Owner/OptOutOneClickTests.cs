using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>
/// RFC 8058 one-click (<c>POST /r/&lt;token&gt;/unsubscribe</c>, body <c>List-Unsubscribe=One-Click</c>, no cookies or
/// antiforgery token, as a mail provider posts it): suppresses the token's address, also from an older notice whose
/// link a newer one replaced, or that expired.
/// </summary>
public sealed class OptOutOneClickTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private static readonly Dictionary<string, string> OneClick = new() { ["List-Unsubscribe"] = "One-Click" };

    private Task<HttpResponseMessage> PostAsync(OwnerSeed seed, HttpContent body) =>
        factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false })
            .PostAsync(seed.Url("unsubscribe"), body);

    private Task<bool> SuppressedAsync(string address) => CaseSeed.ReadAsync(factory, db => db.Suppressions.AnyAsync(s => s.Value == address));

    [Fact]
    public async Task Post_SuppressesTheAddressAndFlagsTheCase_WhenTheLinkIsLive()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@one-click.example");
        var response = await PostAsync(seed, new FormUrlEncodedContent(OneClick));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        Assert.True(await SuppressedAsync("abuse@one-click.example"));
        Assert.True((await OwnerActionsRig.CaseAsync(factory, seed)).NeedsAttention);
        Assert.Single(await OwnerActionsRig.EventsAsync(factory, seed, CaseEventKind.OwnerOptOut));
    }

    [Fact]
    public async Task Post_IsIdempotent_WhenPostedTwice()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@twice.example");
        var first = await PostAsync(seed, new FormUrlEncodedContent(OneClick));
        var second = await PostAsync(seed, new FormUrlEncodedContent(OneClick));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal(1, await CaseSeed.ReadAsync(factory, db => db.Suppressions.CountAsync(s => s.Value == "abuse@twice.example")));
        Assert.Single(await OwnerActionsRig.EventsAsync(factory, seed, CaseEventKind.OwnerOptOut));
    }

    [Fact]
    public async Task Post_Suppresses_WhenANewerNoticeReplacedTheLink()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@replaced.example");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var links = new OwnerLinks(db, Options.Create(new NoticePolicyOptions { PublicBaseUrl = "https://desk.example" }));
            await links.CreateAsync(seed.CaseId, seed.ContactId, DateTimeOffset.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        var response = await PostAsync(seed, new FormUrlEncodedContent(OneClick));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await SuppressedAsync("abuse@replaced.example"));
    }

    [Fact]
    public async Task Post_Suppresses_WhenTheLinkExpired()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@expired.example");
        await CaseSeed.ReadAsync(factory, db => db.OwnerLinks.Where(l => l.Id == seed.LinkId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTimeOffset.UtcNow.AddDays(-1))));

        var response = await PostAsync(seed, new FormUrlEncodedContent(OneClick));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await SuppressedAsync("abuse@expired.example"));
    }

    [Fact]
    public async Task Post_Answers410AndChangesNothing_WhenAnOperatorRevokedTheLink()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@taken-back.example");
        await CaseSeed.ReadAsync(factory, db => db.OwnerLinks.Where(l => l.Id == seed.LinkId)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.RevokedAt, DateTimeOffset.UtcNow)));

        var response = await PostAsync(seed, new FormUrlEncodedContent(OneClick));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.False(await SuppressedAsync("abuse@taken-back.example"));
    }

    [Fact]
    public async Task Post_Suppresses_WhenTheBodyIsMultipart()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@multipart.example");
        var body = new MultipartFormDataContent { { new StringContent("One-Click"), "List-Unsubscribe" } };

        var response = await PostAsync(seed, body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(await SuppressedAsync("abuse@multipart.example"));
    }

    [Fact]
    public async Task Post_Answers404_WhenTheTokenIsUnknown()
    {
        var unknown = new OwnerSeed(0, 0, 0, new string('A', 43));
        var response = await PostAsync(unknown, new FormUrlEncodedContent(OneClick));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("List-Unsubscribe=Yes")]
    [InlineData("unsubscribe=One-Click")]
    [InlineData("List-Unsubscribe=One-Click&reason=x")]
    public async Task Post_Answers400AndChangesNothing_WhenTheBodyIsNotOneClick(string body)
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: $"abuse@forged{Math.Abs(body.GetHashCode(StringComparison.Ordinal))}.example");
        var response = await PostAsync(seed, new StringContent(body, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await CaseSeed.ReadAsync(factory, db => db.Suppressions.CountAsync(s => s.Value.StartsWith("abuse@forged"))));
    }

    [Fact]
    public async Task Get_ShowsTheOptOutForm_ToAPersonWhoOpensTheUrl()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "abuse@clicked.example");
        var response = await OwnerSeed.Anonymous(factory).GetAsync(seed.Url("unsubscribe"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Don't contact us again", html);
        Assert.Contains($"action=\"{seed.Url("opt-out")}\"", html);
        Assert.False(await SuppressedAsync("abuse@clicked.example"));
    }
}
