using System.Net;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>Opening <c>/r/&lt;token&gt;</c>: a live link opens its case without signing in, in the contact's language; others say why not.</summary>
public sealed class OwnerLinkPageTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    [Fact]
    public async Task Get_OpensWithoutSignIn_WhenTheLinkIsLive()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var response = await OwnerSeed.Anonymous(factory).GetAsync(seed.Url());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Your mail server", html);
    }

    [Fact]
    public async Task Get_SpeaksGerman_WhenTheContactIsInGermany()
    {
        var seed = await OwnerSeed.CreateAsync(factory, country: "DE");
        var html = await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url());
        Assert.Contains("Ihr Mailserver", html);
        Assert.Contains("lang=\"de\"", html);
        var english = await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url() + "?culture=en");
        Assert.Contains("Your mail server", english);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("not-a-token")]
    public async Task Get_Answers404WithoutCaseDetails_WhenTheTokenIsUnknown(string token)
    {
        var response = await OwnerSeed.Anonymous(factory).GetAsync($"/r/{token}");
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("We do not know this link", html);
        Assert.DoesNotContain("Your mail server", html);
    }
}
