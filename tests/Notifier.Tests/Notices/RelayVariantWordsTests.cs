using System.Net;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Tests.Notices;

public class RelayVariantWordsTests
{
    public static TheoryData<string> EveryVariantTheProbeBuilds()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (address, host) in new (string, string?)[] { ("192.0.2.10", "mail.hosted.example.net"), ("192.0.2.10", null), ("2001:db8::25", "mx.example.org") })
        {
            var context = new VariantContext("relaytest+abc", "canary.notifier.example", "relaytest", "notifier.example", IPAddress.Parse(address), host);
            foreach (var variant in RelayVariants.Build(context)) names.Add(variant.Name);
        }
        var data = new TheoryData<string>();
        foreach (var name in names) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(EveryVariantTheProbeBuilds))]
    public void Describe_HasOwnWordsInBothLanguages_ForEveryVariantTheProbeBuilds(string variant)
    {
        Assert.True(RelayVariantWords.IsKnown(variant), $"No words for the variant {variant}");
        var english = RelayVariantWords.Describe(variant, "en");
        var german = RelayVariantWords.Describe(variant, "de");
        Assert.DoesNotContain("(variant ", english, StringComparison.Ordinal);
        Assert.NotEqual(english, german);
    }

    [Fact]
    public void Describe_NamesTheClaimedDomain_WhenSenderClaimsOwnDomain()
    {
        Assert.Equal("relays when the sender claims to be in your own domain (hosted.example.net)",
            RelayVariantWords.Describe("sender-own-domain-postmaster:hosted.example.net", "en"));
    }

    [Fact]
    public void Describe_StillSaysWhatHappened_WhenVariantIsNew()
    {
        Assert.False(RelayVariantWords.IsKnown("tomorrows-trick"));
        Assert.Equal("accepted a relay test (variant tomorrows-trick)", RelayVariantWords.Describe("tomorrows-trick", "en"));
    }
}
