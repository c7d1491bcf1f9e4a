using System.Net;
using Notifier.Probing;

namespace Notifier.Tests.Probing;

public sealed class TargetGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.0.1")]
    [InlineData("169.254.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("192.0.2.10")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.0.0.1")]
    public void RestrictionOf_NamesTheReason_ForNonPublicAddresses(string address)
    {
        Assert.NotNull(TargetGuard.RestrictionOf(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("193.0.6.139")]
    [InlineData("2a00:1450:4001::1")]
    public void RestrictionOf_Null_ForPublicAddresses(string address)
    {
        Assert.Null(TargetGuard.RestrictionOf(IPAddress.Parse(address)));
    }

    [Fact]
    public void NetworkOf_IsSlash24AndSlash64()
    {
        Assert.Equal("203.0.113.0/24", TargetGuard.NetworkOf(IPAddress.Parse("203.0.113.77")).ToString());
        Assert.Equal("2001:db8:1:2::/64", TargetGuard.NetworkOf(IPAddress.Parse("2001:db8:1:2:3:4:5:6")).ToString());
    }
}
