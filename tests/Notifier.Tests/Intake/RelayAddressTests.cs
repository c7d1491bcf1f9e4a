using System.Net;
using System.Text.Json;
using Notifier.Intake;
using Notifier.Probing;

namespace Notifier.Tests.Intake;

public class RelayAddressTests
{
    [Theory]
    [InlineData("81.2.69.142", "81.2.69.142", "81.2.69.142:25")]
    [InlineData(" 81.2.69.142 ", "81.2.69.142", "81.2.69.142:25")]
    [InlineData("[81.2.69.142]", "81.2.69.142", "81.2.69.142:25")]
    [InlineData("2A01:04F9:C010:1234:0:0:0:25", "2a01:4f9:c010:1234::25", "[2a01:4f9:c010:1234::25]:25")]
    [InlineData("[2a01:4f9:c010:1234::25]", "2a01:4f9:c010:1234::25", "[2a01:4f9:c010:1234::25]:25")]
    [InlineData("[IPv6:2a01:4f9:c010:1234::25]", "2a01:4f9:c010:1234::25", "[2a01:4f9:c010:1234::25]:25")]
    [InlineData("::ffff:81.2.69.142", "81.2.69.142", "81.2.69.142:25")]
    [InlineData("[::FFFF:5102:458e]", "81.2.69.142", "81.2.69.142:25")]
    public void TryParse_ReturnsCanonicalAddressAndDefaultPort_WhenAddressIsValid(string input, string address, string caseKey)
    {
        Assert.True(RelayAddress.TryParse(input, (int?)null, out var relay, out var error));
        Assert.Null(error);
        Assert.Equal(address, relay.Address);
        Assert.Equal(25, relay.Port);
        Assert.Equal(caseKey, relay.CaseKey);
        Assert.Equal(caseKey, relay.ToString());
    }

    [Theory]
    [InlineData("127.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("010.1.1.1")]
    [InlineData("1")]
    [InlineData("1.2.3.256")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.4:25")]
    [InlineData("[::1]:25")]
    [InlineData("fe80::1%eth0")]
    [InlineData("fe80::1%2")]
    [InlineData("mail.example.org")]
    [InlineData("[1.2.3.4")]
    [InlineData("IPv6:1.2.3.4")]
    [InlineData("1.2.3.-4")]
    [InlineData("١.٢.٣.٤")]
    public void TryParse_FailsOnAddress_WhenTextIsNotAPlainIpAddress(string input)
    {
        Assert.False(RelayAddress.TryParse(input, 25, out var relay, out var error));
        Assert.Null(relay);
        Assert.Equal(new IntakeError("address", "not an IP address"), error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_FailsWithRequired_WhenAddressIsMissing(string? input)
    {
        Assert.False(RelayAddress.TryParse(input, 25, out _, out var error));
        Assert.Equal(new IntakeError("address", "is required"), error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(65536)]
    [InlineData(int.MaxValue)]
    public void TryParse_FailsOnPort_WhenPortIsOutOfRange(int port)
    {
        Assert.False(RelayAddress.TryParse("81.2.69.142", port, out _, out var error));
        Assert.Equal(new IntakeError("port", "must be 1-65535"), error);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(587)]
    [InlineData(65535)]
    public void TryParse_KeepsPort_WhenPortIsInRange(int port)
    {
        Assert.True(RelayAddress.TryParse("81.2.69.142", port, out var relay, out _));
        Assert.Equal(port, relay.Port);
    }

    [Theory]
    [InlineData(null, 25)]
    [InlineData("", 25)]
    [InlineData("  ", 25)]
    [InlineData("587", 587)]
    [InlineData(" 2525 ", 2525)]
    public void TryParse_ReadsTextPort_WhenPortIsEmptyOrNumeric(string? port, int expected)
    {
        Assert.True(RelayAddress.TryParse("81.2.69.142", port, out var relay, out _));
        Assert.Equal(expected, relay.Port);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("abc")]
    [InlineData("-25")]
    [InlineData("+25")]
    [InlineData("25.0")]
    [InlineData("99999999999")]
    public void TryParse_FailsOnPort_WhenTextPortIsNotANumberInRange(string port)
    {
        Assert.False(RelayAddress.TryParse("81.2.69.142", port, out _, out var error));
        Assert.Equal(new IntakeError("port", "must be 1-65535"), error);
    }

    [Fact]
    public void TryParse_ReportsAddressFirst_WhenAddressAndTextPortAreBothBad()
    {
        Assert.False(RelayAddress.TryParse("nope", "abc", out _, out var error));
        Assert.Equal("address", error.Field);
    }

    [Fact]
    public void Equals_IsTrue_WhenTwoSpellingsNameTheSameRelay()
    {
        RelayAddress.TryParse("::ffff:81.2.69.142", "25", out var mapped, out _);
        RelayAddress.TryParse("[81.2.69.142]", (int?)null, out var plain, out _);
        Assert.Equal(plain, mapped);
        Assert.Equal(plain!.GetHashCode(), mapped!.GetHashCode());
    }

    [Fact]
    public void Create_NormalisesMappedAddressAndDropsScope_WhenGivenAnIpAddress()
    {
        Assert.Equal("81.2.69.142:25", RelayAddress.Create(IPAddress.Parse("::ffff:81.2.69.142")).CaseKey);
        Assert.Equal("[fe80::1]:2525", RelayAddress.Create(IPAddress.Parse("fe80::1%3"), 2525).CaseKey);
        Assert.Throws<ArgumentOutOfRangeException>(() => RelayAddress.Create(IPAddress.Loopback, 0));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("127.0.0.1")]
    [InlineData("169.254.10.10")]
    [InlineData("100.64.0.1")]
    [InlineData("192.0.2.10")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd20:ab::25")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:10.1.2.3")]
    public void CheckTarget_RefusesWithTargetGuardReason_WhenAddressIsNotPublic(string address)
    {
        Assert.True(RelayAddress.TryParse(address, 25, out var relay, out _));
        var error = TargetPolicy.PublicOnly.Check(relay);
        Assert.NotNull(error);
        Assert.Equal("address", error.Field);
        var why = TargetGuard.RestrictionOf(IPAddress.Parse(address));
        Assert.NotNull(why);
        Assert.Equal(why, relay.Restriction);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
        Assert.Contains("Probing:AllowPrivateTargets", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("::1")]
    public void CheckTarget_Allows_WhenPrivateTargetsAreAllowed(string address)
    {
        Assert.True(RelayAddress.TryParse(address, 25, out var relay, out _));
        Assert.Null(TargetPolicy.PrivateAllowed.Check(relay));
    }

    [Theory]
    [InlineData("81.2.69.142")]
    [InlineData("2a01:4f9:c010:1234::25")]
    public void CheckTarget_Allows_WhenAddressIsPublic(string address)
    {
        Assert.True(RelayAddress.TryParse(address, 25, out var relay, out _));
        Assert.Null(relay.Restriction);
        Assert.Null(TargetPolicy.PublicOnly.Check(relay));
    }

    [Fact]
    public void Serialize_WritesAddressPortAndCaseKey_WhenWrittenAsJson()
    {
        RelayAddress.TryParse("2a01:4f9:c010:1234::25", 587, out var relay, out _);
        var json = JsonSerializer.Serialize(relay, JsonSerializerOptions.Web);
        Assert.Equal("""{"address":"2a01:4f9:c010:1234::25","port":587,"caseKey":"[2a01:4f9:c010:1234::25]:587"}""", json);
    }
}
