using Notifier.Contacts;
using Notifier.Contacts.Rdap;

namespace Notifier.Tests.Contacts;

public class PublicSuffixListTests
{
    private static readonly Lazy<PublicSuffixList> Shipped = new(() =>
        PublicSuffixList.Load(Path.Combine(RdapBootstrapSource.ShippedDirectory, "public_suffix_list.dat")));

    private static readonly PublicSuffixList Small = PublicSuffixList.Parse(
    [
        "// comment", "com", "uk", "co.uk", "*.ck", "!www.ck", "jp", "*.kawasaki.jp", "!city.kawasaki.jp", "公司.cn", "cn",
        "// ===BEGIN PRIVATE DOMAINS===", "blogspot.com", "// ===END PRIVATE DOMAINS===",
    ]);

    [Theory]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("example.co.uk", "example.co.uk")]
    [InlineData("co.uk", null)]
    [InlineData("uk", null)]
    [InlineData("b.example.ck", "b.example.ck")] // *.ck: example.ck is a public suffix
    [InlineData("example.ck", null)]
    [InlineData("www.ck", "www.ck")] // !www.ck: the exception makes www.ck registrable
    [InlineData("a.www.ck", "www.ck")]
    [InlineData("a.b.kawasaki.jp", "a.b.kawasaki.jp")]
    [InlineData("a.city.kawasaki.jp", "city.kawasaki.jp")]
    [InlineData("MAIL.Example.COM.", "example.com")]
    [InlineData("host.example", "host.example")] // no rule: the implicit "*" makes the TLD the suffix
    [InlineData("localhost", null)]
    [InlineData("www.食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("mail.bücher.example", "xn--bcher-kva.example")]
    [InlineData("me.blogspot.com", "blogspot.com")] // PRIVATE section ignored by default
    [InlineData("bad..name", null)]
    public void GetRegistrableDomain_ReturnsPslAnswer_WhenRulesIncludeWildcardsExceptionsAndIdn(string name, string? expected) =>
        Assert.Equal(expected, Small.GetRegistrableDomain(name));

    [Fact]
    public void GetRegistrableDomain_UsesPrivateRules_WhenAskedTo()
    {
        var list = PublicSuffixList.Parse(["com", "// ===BEGIN PRIVATE DOMAINS===", "blogspot.com", "// ===END PRIVATE DOMAINS==="], includePrivate: true);
        Assert.Equal("me.blogspot.com", list.GetRegistrableDomain("www.me.blogspot.com"));
    }

    [Theory]
    [InlineData("a.b.example.co.uk", "example.co.uk")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("x.y.ck", "x.y.ck")]
    [InlineData("www.食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("ec2-192-0-2-1.compute-1.amazonaws.com", "amazonaws.com")]
    [InlineData("a.b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("city.kobe.jp", "city.kobe.jp")]
    public void GetRegistrableDomain_MatchesTheShippedList_WhenLoadedFromData(string name, string expected) =>
        Assert.Equal(expected, Shipped.Value.GetRegistrableDomain(name));

    [Fact]
    public void Load_ReadsThousandsOfRules_WhenGivenTheShippedCopy() => Assert.True(Shipped.Value.RuleCount > 5000);
}
