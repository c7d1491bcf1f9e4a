using System.Net;
using Notifier.Probing;

namespace Notifier.Tests.Probing;

public sealed class RelayVariantsTests
{
    private static readonly VariantContext Context = new("relaytest+tok", "canary.test", "relaytest", "canary.test", IPAddress.Parse("198.51.100.7"), "mx1.victim.example");

    [Fact]
    public void Build_HasAtLeastTwentyDistinctVariants_WhenHostNameIsKnown()
    {
        var variants = RelayVariants.Build(Context);

        Assert.True(variants.Count >= 20, $"{variants.Count}");
        Assert.Equal(variants.Count, variants.Select(v => (v.MailFrom, v.RcptTo)).Distinct().Count());
    }

    [Theory]
    [InlineData("", "relaytest+tok@canary.test")]                             // 1 null sender
    [InlineData("relaytest@canary.test", "relaytest+tok@canary.test")]        // 2 plain
    [InlineData("relaytest@mx1.victim.example", "relaytest+tok@canary.test")] // 3 sender is the target host
    [InlineData("relaytest@[198.51.100.7]", "relaytest+tok@canary.test")]     // 4 IP-literal sender
    [InlineData("relaytest@[198.51.100.7]", "relaytest+tok%canary.test@[198.51.100.7]")] // 5 percent hack
    [InlineData("relaytest@[198.51.100.7]", "relaytest+tok%canary.test@mx1.victim.example")] // 6
    [InlineData("relaytest@[198.51.100.7]", "\"relaytest+tok@canary.test\"")] // 7 quoted
    [InlineData("relaytest@[198.51.100.7]", "\"relaytest+tok%canary.test\"")] // 8
    [InlineData("relaytest@[198.51.100.7]", "relaytest+tok@canary.test@[198.51.100.7]")] // 9 double @
    [InlineData("relaytest@[198.51.100.7]", "\"relaytest+tok@canary.test\"@[198.51.100.7]")] // 10
    [InlineData("relaytest@[198.51.100.7]", "relaytest+tok@canary.test@mx1.victim.example")] // 11
    [InlineData("relaytest@[198.51.100.7]", "@[198.51.100.7]:relaytest+tok@canary.test")] // 12 source route
    [InlineData("relaytest@[198.51.100.7]", "@mx1.victim.example:relaytest+tok@canary.test")] // 13
    [InlineData("relaytest@[198.51.100.7]", "canary.test!relaytest+tok")] // 14 bang path
    [InlineData("relaytest@[198.51.100.7]", "canary.test!relaytest+tok@[198.51.100.7]")] // 15
    [InlineData("relaytest@[198.51.100.7]", "canary.test!relaytest+tok@mx1.victim.example")] // 16
    [InlineData("relaytest@canary.test", "relaytest+tok%canary.test@mx1.victim.example")] // the seed's percent hack
    [InlineData("postmaster@victim.example", "relaytest+tok@canary.test")]    // the seed's partially-open test
    [InlineData("relaytest", "relaytest+tok@canary.test")]                    // unqualified sender
    [InlineData("relaytest@localhost", "relaytest+tok@canary.test")]          // localhost sender
    public void Build_IncludesForm_FromNmapAndTheSeed(string mailFrom, string rcptTo)
    {
        Assert.Contains(RelayVariants.Build(Context), v => v.MailFrom == mailFrom && v.RcptTo == rcptTo);
    }

    [Fact]
    public void Build_OrdersDirectFirstThenSourceRouteThenRouted()
    {
        var strengths = RelayVariants.Build(Context).Select(v => VariantClass.Strength(v.Class)).ToList();

        Assert.Equal(strengths.OrderByDescending(s => s), strengths);
    }

    [Fact]
    public void IpLiteral_UsesIPv6Tag_ForIPv6()
    {
        Assert.Equal("[IPv6:2001:db8::25]", RelayVariants.IpLiteral(IPAddress.Parse("2001:db8::25")));
        Assert.Equal("[192.0.2.1]", RelayVariants.IpLiteral(IPAddress.Parse("::ffff:192.0.2.1")));
    }
}
