using Notifier.Contacts.Rdap;

namespace Notifier.Tests.Contacts;

public class RdapParserTests
{
    private static readonly Uri Base = new("https://rdap.example/");

    private static (RdapNetwork? Network, string? Failure) ParseFixture(string file) =>
        RdapParser.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Contacts", "Fixtures", "Rdap", file)).Replace("{base}", "https://rdap.example", StringComparison.Ordinal), Base);

    [Fact]
    public void Parse_ReturnsTopLevelAbuseEntity_WhenAnswerIsRipeShaped()
    {
        var (network, failure) = ParseFixture("ripe-192.0.2.0-25.json");
        Assert.Null(failure);
        Assert.Equal(25, network!.PrefixLength);
        Assert.Equal("192.0.2.0/25", network.Range);
        Assert.Equal(["abuse@customer.example.co.uk"], network.Abuse.Select(a => a.Email));
        Assert.Equal(new Uri("https://rdap.example/ripe/ip/192.0.2.0/24"), network.Parent);
    }

    [Theory]
    [InlineData("ripe-192.0.2.0-24.json", "GB", null)]
    [InlineData("ripe-198.19.0.0-24.json", "DE", null)]
    [InlineData("apnic-203.0.113.0-24.json", "JP", "JP")]
    [InlineData("arin-198.51.100.0-24.json", null, null)]
    public void Parse_KeepsCountry_WhenNetworkOrAbuseVcardGivesOne(string file, string? network, string? vcard)
    {
        var (parsed, _) = ParseFixture(file);
        Assert.Equal(network, parsed!.Country);
        Assert.Equal(vcard, parsed.Abuse[0].Country);
    }

    [Fact]
    public void Parse_ReturnsNestedAbusePoc_WhenAnswerIsArinShaped()
    {
        var (network, _) = ParseFixture("arin-198.51.100.0-24.json");
        var abuse = Assert.Single(network!.Abuse);
        Assert.Equal("abuse@provider.example.com", abuse.Email);
        Assert.Equal("EXPR › ABUSE42-ARIN", abuse.EntityPath);
    }

    [Fact]
    public void Parse_IgnoresNonAbuseRoles_WhenAnswerIsApnicShaped()
    {
        var (network, _) = ParseFixture("apnic-203.0.113.0-24.json");
        Assert.Equal(["abuse@member.example.jp"], network!.Abuse.Select(a => a.Email));
    }

    [Fact]
    public void Parse_RecordsProblem_WhenAbuseVcardHasNoEmail()
    {
        var (network, _) = ParseFixture("apnic-203.0.113.128-25.json");
        Assert.Empty(network!.Abuse);
        Assert.Contains("IRT-NOMAIL-JP has no email", Assert.Single(network.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReadsPrefixedIpv6Bounds_WhenStartAddressCarriesALength()
    {
        var (network, _) = ParseFixture("ripe-2001-db8-1--48.json");
        Assert.Equal("2001:db8:1::/48", network!.Range);
    }

    [Theory]
    [InlineData("{ not json", "malformed JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{ "objectClassName": "domain" }""", "not \"ip network\"")]
    [InlineData("""{ "objectClassName": "ip network", "startAddress": "192.0.2.9", "endAddress": "192.0.2.1" }""", "startAddress")]
    [InlineData("""{ "objectClassName": "ip network" }""", "startAddress")]
    public void Parse_ReturnsFailure_WhenDocumentIsNotAUsableNetwork(string json, string expected)
    {
        var (network, failure) = RdapParser.Parse(json, Base);
        Assert.Null(network);
        Assert.Contains(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DerivesPrefix_WhenCidr0IsAbsent()
    {
        var (network, _) = RdapParser.Parse("""{ "objectClassName": "ip network", "startAddress": "10.1.0.0", "endAddress": "10.1.255.255" }""", Base);
        Assert.Equal(16, network!.PrefixLength);
    }
}
