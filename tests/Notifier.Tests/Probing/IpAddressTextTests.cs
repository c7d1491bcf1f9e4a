using System.Net;
using Notifier.Probing;

namespace Notifier.Tests.Probing;

/// <summary>The one strict reading of typed IP addresses (issue 8, item 9); the tables are shared with the API, CLI and resolver tests.</summary>
public sealed class IpAddressTextTests
{
    /// <summary>
    /// Mistyped or inet_aton-style IPv4 spellings that <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> reads
    /// as an address in 127.0.0.0/8 or does not read at all (so the old code asked DNS): safe to hand to the real
    /// binary even where the old lenient code would act on them, since nothing leaves loopback.
    /// </summary>
    private static readonly string[] StayOnLoopbackIfReadLeniently =
        ["999.1.1.1", "256.1.1.1", "1.2.3.4.5", "127.0.0.1.", "0x7f.1", "0x7f.0.0.1", "127.1", "0177.0.0.1", "2130706433", "0x7f000001"];

    /// <summary>Also spellings the old code read as public addresses (010.1.1.1 is 8.1.1.1): only for tests that never connect.</summary>
    private static readonly string[] ReadLenientlyAsPublic = ["010.1.1.1", "1.2.3", "8.8.8.010", "08.8.8.8", "1.0x2.3.4"];

    public static TheoryData<string> MistypedIPv4 => new(StayOnLoopbackIfReadLeniently.Concat(ReadLenientlyAsPublic));

    public static TheoryData<string> MistypedIPv4StayingOnLoopback => new(StayOnLoopbackIfReadLeniently);

    [Theory]
    [MemberData(nameof(MistypedIPv4))]
    public void Parse_Null_AndLooksLikeIPv4_ForMistypedDottedQuads(string text)
    {
        Assert.Null(IpAddressText.Parse(text));
        Assert.True(IpAddressText.LooksLikeIPv4(text));
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData(" 8.8.8.8 ", "8.8.8.8")]
    [InlineData("[2001:db8::1]", "2001:db8::1")]
    [InlineData("::ffff:8.8.8.8", "8.8.8.8")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    public void Parse_ReadsTheAddress_WhenWrittenInFull(string text, string address)
    {
        Assert.Equal(IPAddress.Parse(address), IpAddressText.Parse(text));
    }

    [Theory]
    [InlineData("mail.example.com")]
    [InlineData("1.2.3.4.nip.io")]
    [InlineData("0xdead.beef")]
    [InlineData("123.example")]
    [InlineData("fe80::1%eth0")]
    public void LooksLikeIPv4_False_ForHostNamesAndIPv6(string text)
    {
        Assert.False(IpAddressText.LooksLikeIPv4(text));
    }
}
