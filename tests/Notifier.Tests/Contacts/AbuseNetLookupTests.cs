using Microsoft.Extensions.DependencyInjection;
using Notifier.Contacts;

namespace Notifier.Tests.Contacts;

[Collection(ContactsCollection.Name)]
public class AbuseNetLookupTests(ContactsFixture fixture)
{
    private async Task<SourceResult> LookupAsync(string domain, bool confirmed = true, params (string, string)[] overrides)
    {
        using var host = fixture.Build(null, overrides);
        return await host.Services.GetRequiredService<AbuseNetLookup>().LookupAsync(new DomainOrigin(domain, confirmed, []), CancellationToken.None);
    }

    [Theory]
    [InlineData("example.co.uk", "security@example.co.uk", ContactTier.AbuseNetLookup)]
    [InlineData("xn--bcher-kva.example", "abuse@xn--bcher-kva.example", ContactTier.Rfc2142Confirmed)]
    [InlineData("nohinfo.example", "ops@nohinfo.example", ContactTier.Rfc2142Confirmed)]
    public async Task LookupAsync_RanksByHinfo_WhenAbuseNetAnswers(string domain, string address, ContactTier tier)
    {
        var found = Assert.Single((await LookupAsync(domain)).Found);
        Assert.Equal((address, tier, ContactSource.AbuseNet), (found.Address, found.Tier, found.Source));
    }

    [Fact]
    public async Task LookupAsync_NotesMissingHinfoAndJunk_WhenAnswerIsIncomplete()
    {
        var result = await LookupAsync("nohinfo.example");
        Assert.Contains(result.Notes, n => n.Reason.Contains("no HINFO", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Reason.Contains("\"not-an-address\" is not a mail address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupAsync_DoesNotAsk_WhenNameIsUnconfirmed()
    {
        var before = fixture.Dns.QueryCount;
        var result = await LookupAsync("example.co.uk", confirmed: false);
        Assert.Empty(result.Found);
        Assert.Equal(before, fixture.Dns.QueryCount);
        Assert.StartsWith("not asked", Assert.Single(result.Notes).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LookupAsync_ReturnsNothing_WhenDisabled()
    {
        var result = await LookupAsync("example.co.uk", true, ("UseAbuseNet", "false"));
        Assert.Empty(result.Found);
        Assert.Empty(result.Notes);
    }
}
