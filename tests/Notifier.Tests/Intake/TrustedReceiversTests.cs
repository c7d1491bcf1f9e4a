using System.Net;
using Notifier.Intake;

namespace Notifier.Tests.Intake;

public class TrustedReceiversTests
{
    private static readonly TrustedReceivers Desk = TrustedReceivers.From(new TrustedReceiversOptions
    {
        Names = ["mx1.abuse-desk.example", "*.internal.abuse-desk.example."],
        Networks = ["10.20.0.0/16", "fd20:ab::/48", "81.2.69.142"],
    });

    [Theory]
    [InlineData("mx1.abuse-desk.example")]
    [InlineData("MX1.Abuse-Desk.Example.")]
    [InlineData("filter.internal.abuse-desk.example")]
    [InlineData("a.b.internal.abuse-desk.example")]
    public void IsTrusted_IsTrue_WhenNameMatches(string name) => Assert.True(Desk.IsTrusted(name, null));

    [Theory]
    [InlineData("mx2.abuse-desk.example")]
    [InlineData("internal.abuse-desk.example")]
    [InlineData("evilinternal.abuse-desk.example")]
    [InlineData("mx1.abuse-desk.example.attacker.example")]
    [InlineData("")]
    [InlineData(null)]
    public void IsTrusted_IsFalse_WhenNameDoesNotMatch(string? name) => Assert.False(Desk.IsTrusted(name, null));

    [Theory]
    [InlineData("10.20.0.1")]
    [InlineData("10.20.255.255")]
    [InlineData("::ffff:10.20.3.4")]
    [InlineData("fd20:ab::25")]
    [InlineData("fd20:ab:0:ffff::1")]
    [InlineData("81.2.69.142")]
    public void IsTrusted_IsTrue_WhenAddressIsInANetwork(string address) => Assert.True(Desk.IsTrusted(null, IPAddress.Parse(address)));

    [Theory]
    [InlineData("10.21.0.1")]
    [InlineData("81.2.69.143")]
    [InlineData("fd20:ac::1")]
    [InlineData("fd20:ab:1::1")]
    [InlineData("127.0.0.1")]
    public void IsTrusted_IsFalse_WhenAddressIsOutsideEveryNetwork(string address) => Assert.False(Desk.IsTrusted("mx9.elsewhere.example", IPAddress.Parse(address)));

    [Fact]
    public void IsTrusted_IsTrue_WhenEitherNameOrAddressMatches()
    {
        Assert.True(Desk.IsTrusted("mx1.abuse-desk.example", IPAddress.Parse("89.160.20.112")));
        Assert.True(Desk.IsTrusted("unknown", IPAddress.Parse("10.20.0.9")));
    }

    [Fact]
    public void None_TrustsNothing_WhenEmpty()
    {
        Assert.False(TrustedReceivers.None.IsTrusted("localhost", IPAddress.Loopback));
        Assert.Empty(TrustedReceivers.None.Names);
        Assert.Empty(TrustedReceivers.None.Networks);
    }

    [Fact]
    public void From_NormalisesNamesAndNetworks_WhenConfigured()
    {
        Assert.Equal(["mx1.abuse-desk.example", "*.internal.abuse-desk.example"], Desk.Names);
        Assert.Equal([IPNetwork.Parse("10.20.0.0/16"), IPNetwork.Parse("fd20:ab::/48"), IPNetwork.Parse("81.2.69.142/32")], Desk.Networks);
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.20.1.0/16")]
    [InlineData("fd20:ab::1/48")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("fd20::/129")]
    [InlineData("mx1.example.org")]
    [InlineData("")]
    public void TryParseNetwork_Fails_WhenTextIsNotANetwork(string text) => Assert.False(TrustedReceivers.TryParseNetwork(text, out _));

    [Theory]
    [InlineData("mx1.example.org", "mx1.example.org")]
    [InlineData("MX1.Example.ORG.", "mx1.example.org")]
    [InlineData("*.example.org", ".example.org")]
    [InlineData("localhost", "localhost")]
    public void TryParseName_ReturnsPattern_WhenTextIsAHostName(string text, string pattern)
    {
        Assert.True(TrustedReceivers.TryParseName(text, out var parsed));
        Assert.Equal(pattern, parsed);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("mx*.example.org")]
    [InlineData("-mx.example.org")]
    [InlineData("mx..example.org")]
    [InlineData("mx.example.org/24")]
    [InlineData("  ")]
    public void TryParseName_Fails_WhenTextIsNotAHostName(string text) => Assert.False(TrustedReceivers.TryParseName(text, out _));

    [Fact]
    public void Errors_NamesEachBadEntry_WhenConfigurationIsWrong()
    {
        var options = new TrustedReceiversOptions { Names = ["ok.example", "not a name"], Networks = ["10.0.0.0/8", "10.0.0.1/8"] };
        var errors = options.Errors().ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains("Intake:TrustedReceivers:Names: \"not a name\"", errors[0], StringComparison.Ordinal);
        Assert.Contains("Intake:TrustedReceivers:Networks: \"10.0.0.1/8\"", errors[1], StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => TrustedReceivers.From(options));
    }
}
