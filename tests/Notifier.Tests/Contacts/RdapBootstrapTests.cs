using System.Net;
using Notifier.Contacts.Rdap;

namespace Notifier.Tests.Contacts;

public class RdapBootstrapTests
{
    private static readonly RdapBootstrap Shipped = RdapBootstrap.Parse(
        new[] { "ipv4.json", "ipv6.json" }.Select(f => File.ReadAllText(Path.Combine(RdapBootstrapSource.ShippedDirectory, f))), "shipped");

    [Theory]
    [InlineData("193.0.6.139", "https://rdap.db.ripe.net/")]
    [InlineData("8.8.8.8", "https://rdap.arin.net/registry/")]
    [InlineData("1.1.1.1", "https://rdap.apnic.net/")]
    [InlineData("200.160.2.3", "https://rdap.lacnic.net/rdap/")]
    [InlineData("196.216.2.1", "https://rdap.afrinic.net/rdap/")]
    [InlineData("2001:67c:2e8::1", "https://rdap.db.ripe.net/")]
    [InlineData("2600::1", "https://rdap.arin.net/registry/")]
    public void Find_ReturnsRegistryHttpsUrl_WhenAddressIsAllocated(string ip, string expected) =>
        Assert.Equal(new Uri(expected), Shipped.Find(IPAddress.Parse(ip))!.Value.Server);

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("fe80::1")]
    public void Find_ReturnsNull_WhenNoRegistryCoversTheAddress(string ip) => Assert.Null(Shipped.Find(IPAddress.Parse(ip)));

    [Fact]
    public void Find_PrefersLongestPrefix_WhenServicesOverlap()
    {
        var map = RdapBootstrap.Parse(["""
            { "services": [ [["93.0.0.0/8"], ["http://wide.example/"]], [["93.184.0.0/15"], ["http://narrow.example", "https://narrow.example"]] ] }
            """], "test");
        Assert.Equal(new Uri("https://narrow.example/"), map.Find(IPAddress.Parse("93.184.216.34"))!.Value.Server);
        Assert.Equal(new Uri("http://wide.example/"), map.Find(IPAddress.Parse("93.1.1.1"))!.Value.Server);
    }

    [Theory]
    [InlineData("{ \"services\": 5 }")]
    [InlineData("{ \"services\": [] }")]
    [InlineData("not json")]
    public void Parse_Throws_WhenFileIsMalformed(string json) =>
        Assert.ThrowsAny<Exception>(() => RdapBootstrap.Parse([json], "test"));
}
