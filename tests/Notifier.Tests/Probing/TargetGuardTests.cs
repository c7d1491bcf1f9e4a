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

    /// <summary>IPv6 forms that embed IPv4, and IPv6 ranges outside global unicast (issue 8, item 8).</summary>
    [Theory]
    [InlineData("64:ff9b::a00:1", "NAT64 (RFC 6052) form of 10.0.0.1: private")]
    [InlineData("64:ff9b::7f00:1", "NAT64 (RFC 6052) form of 127.0.0.1: loopback")]
    [InlineData("64:ff9b:1::a00:1", "local-use IPv4/IPv6 translation")]
    [InlineData("64:ff9b:1::808:808", "local-use IPv4/IPv6 translation")]
    [InlineData("::127.0.0.1", "IPv4-compatible (deprecated, RFC 4291 §2.5.5.1) form of 127.0.0.1: loopback")]
    [InlineData("::a00:1", "form of 10.0.0.1: private")]
    [InlineData("::8.8.8.8", "form of 8.8.8.8: not globally reachable")]
    [InlineData("::ffff:0:127.0.0.1", "IPv4-translated (RFC 2765) form of 127.0.0.1: loopback")]
    [InlineData("::ffff:0:8.8.8.8", "form of 8.8.8.8: not globally reachable")]
    [InlineData("2002:7f00:1::1", "6to4 (RFC 3056) form of 127.0.0.1: loopback")]
    [InlineData("2002:c0a8:101::1", "6to4 (RFC 3056) form of 192.168.1.1: private")]
    [InlineData("2002:a9fe:a9fe::", "form of 169.254.169.254: link-local")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("3fff::1", "documentation (RFC 9637)")]
    [InlineData("3fff:fff:ffff::1", "documentation (RFC 9637)")]
    [InlineData("5f00::1", "SRv6")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("100::1", "discard-only")]
    [InlineData("100:0:0:1::1", "outside IPv6 global unicast 2000::/3")]
    [InlineData("4000::1", "outside IPv6 global unicast 2000::/3")]
    [InlineData("e000::1", "outside IPv6 global unicast 2000::/3")]
    [InlineData("2001:2::1", "IETF protocol assignments")]
    public void RestrictionOf_NamesTheReason_ForSpecialIPv6(string address, string reason)
    {
        Assert.Contains(reason, TargetGuard.RestrictionOf(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("193.0.6.139")]
    [InlineData("2a00:1450:4001::1")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("2002:808:808::1")]
    [InlineData("3fff:1000::1")]
    [InlineData("2620:4f:8000::1")]
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
