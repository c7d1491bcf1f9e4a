using System.Net;
using Notifier.Cases;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

/// <summary>The sortable address key the case list's network filter ranges over.</summary>
public sealed class CaseAddressKeyTests
{
    [Fact]
    public void Of_SortsInAddressOrder_WhereTheTextDoesNot()
    {
        string[] addresses = ["10.0.0.10", "10.0.0.9", "9.255.255.255", "2001:db8::1", "10.0.1.0"];

        var sorted = addresses.OrderBy(a => CaseAddressKey.Of(a), StringComparer.Ordinal).ToList();

        Assert.Equal(["9.255.255.255", "10.0.0.9", "10.0.0.10", "10.0.1.0", "2001:db8::1"], sorted);
    }

    [Theory]
    [InlineData("192.0.2.0/24", "192.0.2.0", true)]
    [InlineData("192.0.2.0/24", "192.0.2.255", true)]
    [InlineData("192.0.2.0/24", "192.0.3.0", false)]
    [InlineData("192.0.2.0/24", "192.0.1.255", false)]
    [InlineData("10.0.0.0/8", "10.200.3.4", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("2001:db8::/32", "192.0.2.1", false)]
    [InlineData("198.51.100.7/32", "198.51.100.7", true)]
    public void RangeOf_HoldsExactlyTheNetworksAddresses_WhenCompared(string network, string address, bool inside)
    {
        Assert.True(IpNetworkText.TryParse(network, singleAddress: false, out var n, out _));
        var (from, to) = CaseAddressKey.RangeOf(n);
        var key = CaseAddressKey.Of(address)!;

        Assert.Equal(inside, string.CompareOrdinal(key, from) >= 0 && string.CompareOrdinal(key, to) <= 0);
        Assert.Equal(inside, n.Contains(IPAddress.Parse(address)));
    }

    [Fact]
    public void Of_GivesNull_WhenTheTextIsNoAddress()
    {
        Assert.Null(CaseAddressKey.Of("mail.example.net"));
    }
}
