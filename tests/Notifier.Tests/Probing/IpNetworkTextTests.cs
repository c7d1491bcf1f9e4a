using Notifier.Probing;

namespace Notifier.Tests.Probing;

public class IpNetworkTextTests
{
    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0/24")]
    [InlineData(" 2001:db8::/32 ", "2001:db8::/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void TryParse_ReadsTheNetwork_WhenWrittenInFull(string text, string expected)
    {
        Assert.True(IpNetworkText.TryParse(text, singleAddress: false, out var network, out _));
        Assert.Equal(expected, network.ToString());
    }

    [Theory]
    [InlineData("10.1/16")]
    [InlineData("010.0.0.0/8")]
    [InlineData("192.0.2.0/33")]
    [InlineData("192.0.2.0/-1")]
    [InlineData("192.0.2.0/ 24")]
    [InlineData("example.org/24")]
    [InlineData("")]
    [InlineData(null)]
    public void TryParse_Refuses_WhenTextIsNotAStrictNetwork(string? text)
    {
        Assert.False(IpNetworkText.TryParse(text, singleAddress: true, out _, out var problem));
        Assert.Equal(IpNetworkText.Expected, problem);
    }

    [Fact]
    public void TryParse_NamesTheNetworkMeant_WhenHostBitsAreSet()
    {
        Assert.False(IpNetworkText.TryParse("192.0.2.7/24", singleAddress: false, out _, out var problem));
        Assert.Equal("has host bits set; did you mean 192.0.2.0/24?", problem);
    }

    [Fact]
    public void TryParse_TakesABareAddress_OnlyWhenSingleAddressesAreAllowed()
    {
        Assert.True(IpNetworkText.TryParse("2001:db8::1", singleAddress: true, out var network, out _));
        Assert.Equal("2001:db8::1/128", network.ToString());
        Assert.False(IpNetworkText.TryParse("192.0.2.1", singleAddress: false, out _, out _));
    }
}
