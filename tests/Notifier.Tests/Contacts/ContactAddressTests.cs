using System.Net;
using Notifier.Contacts;

namespace Notifier.Tests.Contacts;

public class ContactAddressTests
{
    [Theory]
    [InlineData("Abuse@Example.COM", "abuse@example.com")]
    [InlineData("mailto:abuse@example.com", "abuse@example.com")]
    [InlineData(" abuse@bücher.example ", "abuse@xn--bcher-kva.example")]
    [InlineData("abuse@localhost", null)]
    [InlineData("abuse", null)]
    [InlineData("@example.com", null)]
    [InlineData("a b@example.com", null)]
    [InlineData("a..b@example.com", null)]
    [InlineData("<abuse@example.com>", null)]
    [InlineData("", null)]
    public void Normalize_ReturnsCanonicalForm_WhenTextIsAnAddress(string text, string? expected) =>
        Assert.Equal(expected, ContactAddress.Normalize(text));

    [Theory]
    [InlineData("hostmaster.example.com.", "hostmaster@example.com")]
    [InlineData("john\\.doe.example.co.uk", "john.doe@example.co.uk")]
    [InlineData("root.localhost.", null)]
    [InlineData("nodots", null)]
    public void ToMailbox_DecodesRname_WhenSoaGivesOne(string rname, string? expected) =>
        Assert.Equal(expected, SoaLookup.ToMailbox(rname));

    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1:53")]
    [InlineData("127.0.0.1:5353", "127.0.0.1:5353")]
    [InlineData("::1", "[::1]:53")]
    [InlineData("[::1]:5353", "[::1]:5353")]
    public void TryParse_ReturnsEndPoint_WhenNameServerIsValid(string text, string expected)
    {
        Assert.True(NameServerAddress.TryParse(text, out var ep));
        Assert.Equal(IPEndPoint.Parse(expected), ep);
    }

    [Theory]
    [InlineData("dns.example")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("")]
    public void TryParse_ReturnsFalse_WhenNameServerIsInvalid(string text) => Assert.False(NameServerAddress.TryParse(text, out _));
}
