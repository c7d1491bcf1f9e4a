using System.Net;
using Notifier.Contacts;

namespace Notifier.Tests.Contacts;

public class ContactRankingTests
{
    private static readonly IPAddress Ip = IPAddress.Parse("192.0.2.7");
    private static readonly DateTimeOffset When = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static FoundContact F(string address, ContactSource source, ContactTier tier, int? prefix = null) =>
        new(address, source, tier, [new ContactEvidence($"{source} query", address)], prefix);

    /// <summary>One of each tier, deliberately reported worst first.</summary>
    private static readonly FoundContact[] AllTiers =
    [
        F("unconfirmed@victim.example", ContactSource.Rfc2142, ContactTier.Unconfirmed),
        F("soa@example.co.uk", ContactSource.Soa, ContactTier.Soa),
        F("abuse@example.co.uk", ContactSource.Rfc2142, ContactTier.Rfc2142Confirmed),
        F("registered@example.co.uk", ContactSource.AbuseNet, ContactTier.AbuseNetLookup),
        F("abuse@lir.example.net", ContactSource.Rdap, ContactTier.RdapAbuse, 24),
        F("abuse@customer.example.co.uk", ContactSource.Rdap, ContactTier.RdapAbuse, 25),
    ];

    public static TheoryData<string, ContactPolicy, string[]> Orders => new()
    {
        {
            "tiers, most specific RDAP network first", ContactPolicy.None,
            ["abuse@customer.example.co.uk", "abuse@lir.example.net", "registered@example.co.uk", "abuse@example.co.uk", "soa@example.co.uk", "unconfirmed@victim.example"]
        },
        {
            "manual on top, preferred before added",
            new ContactPolicy([
                new ManualContact("added@ops.example", ManualContactAction.Add, ContactScope.Case, "alice"),
                new ManualContact("Preferred@Ops.Example", ManualContactAction.Prefer, ContactScope.Case, "bob"),
            ], [], []),
            ["preferred@ops.example", "added@ops.example", "abuse@customer.example.co.uk", "abuse@lir.example.net", "registered@example.co.uk", "abuse@example.co.uk", "soa@example.co.uk", "unconfirmed@victim.example"]
        },
        {
            "manual promotes a found address",
            new ContactPolicy([new ManualContact("soa@example.co.uk", ManualContactAction.Prefer, ContactScope.ForNetwork(System.Net.IPNetwork.Parse("192.0.2.0/24")), "alice")], [], []),
            ["soa@example.co.uk", "abuse@customer.example.co.uk", "abuse@lir.example.net", "registered@example.co.uk", "abuse@example.co.uk", "unconfirmed@victim.example"]
        },
        {
            "manual for another network or an unconfirmed domain does not apply",
            new ContactPolicy([
                new ManualContact("other@ops.example", ManualContactAction.Prefer, ContactScope.ForNetwork(System.Net.IPNetwork.Parse("198.51.100.0/24")), "alice"),
                new ManualContact("victim@ops.example", ManualContactAction.Prefer, ContactScope.ForDomain("victim.example"), "alice"),
            ], [], []),
            ["abuse@customer.example.co.uk", "abuse@lir.example.net", "registered@example.co.uk", "abuse@example.co.uk", "soa@example.co.uk", "unconfirmed@victim.example"]
        },
        {
            "manual for a confirmed domain applies",
            new ContactPolicy([new ManualContact("desk@example.co.uk", ManualContactAction.Add, ContactScope.ForDomain("EXAMPLE.co.uk"), "alice")], [], []),
            ["desk@example.co.uk", "abuse@customer.example.co.uk", "abuse@lir.example.net", "registered@example.co.uk", "abuse@example.co.uk", "soa@example.co.uk", "unconfirmed@victim.example"]
        },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Rank_OrdersByPolicy_WhenSourcesAndManualEntriesMix(string why, ContactPolicy policy, string[] expected)
    {
        var ranked = ContactRanking.Rank(Ip, ["example.co.uk"], AllTiers, policy);
        Assert.True(expected.SequenceEqual(ranked.Candidates.Select(c => c.Address)), why + ": " + string.Join(", ", ranked.Candidates.Select(c => c.Address)));
        Assert.Equal(Enumerable.Range(1, expected.Length), ranked.Candidates.Select(c => c.Rank));
    }

    public static TheoryData<string, ContactPolicy, string, ContactStatus, string?> Statuses => new()
    {
        { "nothing applies", ContactPolicy.None, "abuse@customer.example.co.uk", ContactStatus.Active, "abuse@customer.example.co.uk" },
        {
            "address suppressed", new ContactPolicy([], [new ContactSuppression("abuse@customer.example.co.uk", "asked us to stop", "carol")], []),
            "abuse@customer.example.co.uk", ContactStatus.Suppressed, "abuse@lir.example.net"
        },
        {
            "domain suppression covers subdomains", new ContactPolicy([], [new ContactSuppression("example.co.uk", "spam trap", "carol")], []),
            "abuse@customer.example.co.uk", ContactStatus.Suppressed, "abuse@lir.example.net"
        },
        {
            "suppression beats a manual preference",
            new ContactPolicy([new ManualContact("abuse@lir.example.net", ManualContactAction.Prefer, ContactScope.Case, "alice")], [new ContactSuppression("lir.example.net", "no", "carol")], []),
            "abuse@lir.example.net", ContactStatus.Suppressed, "abuse@customer.example.co.uk"
        },
        {
            "operator disabled", new ContactPolicy([new ManualContact("abuse@customer.example.co.uk", ManualContactAction.Disable, ContactScope.Case, "alice", "wrong desk")], [], []),
            "abuse@customer.example.co.uk", ContactStatus.OperatorDisabled, "abuse@lir.example.net"
        },
        {
            "bounced: failover to the next", new ContactPolicy([], [], [new BouncedContact("ABUSE@customer.example.co.uk", When, "550 5.1.1 no such user")]),
            "abuse@customer.example.co.uk", ContactStatus.Bounced, "abuse@lir.example.net"
        },
        {
            "two bounces: failover twice",
            new ContactPolicy([], [], [new BouncedContact("abuse@customer.example.co.uk", When), new BouncedContact("abuse@lir.example.net", When)]),
            "abuse@lir.example.net", ContactStatus.Bounced, "registered@example.co.uk"
        },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Rank_SkipsWithReason_WhenPolicyExcludesAnAddress(string why, ContactPolicy policy, string address, ContactStatus status, string? chosen)
    {
        var ranked = ContactRanking.Rank(Ip, ["example.co.uk"], AllTiers, policy);
        var candidate = ranked.Candidates.Single(c => c.Address == address);
        Assert.True(status == candidate.Status, why);
        Assert.Equal(status == ContactStatus.Active, candidate.Reason is null);
        Assert.Equal(chosen, ranked.Chosen?.Address);
    }

    [Fact]
    public void Rank_ChoosesNobody_WhenEveryCandidateIsSkipped()
    {
        var policy = new ContactPolicy([], [new ContactSuppression("example.co.uk", "x", "c"), new ContactSuppression("example.net", "x", "c"), new ContactSuppression("victim.example", "x", "c")], []);
        Assert.Null(ContactRanking.Rank(Ip, [], AllTiers, policy).Chosen);
    }

    [Fact]
    public void Rank_MergesSources_WhenTwoFindTheSameAddress()
    {
        var found = new[] { F("abuse@example.co.uk", ContactSource.Rfc2142, ContactTier.Rfc2142Confirmed), F("Abuse@example.co.uk", ContactSource.AbuseNet, ContactTier.AbuseNetLookup) };
        var c = Assert.Single(ContactRanking.Rank(Ip, [], found, ContactPolicy.None).Candidates);
        Assert.Equal(ContactSource.AbuseNet, c.Source);
        Assert.Equal([ContactSource.AbuseNet, ContactSource.Rfc2142], c.Sources);
        Assert.Equal(ContactConfidence.Medium, c.Confidence);
        Assert.Equal(2, c.Evidence.Count);
    }

    [Fact]
    public void Rank_MatchesIdnForms_WhenManualEntryAndSuppressionUseUnicode()
    {
        var found = new[] { F("abuse@xn--bcher-kva.example", ContactSource.Rfc2142, ContactTier.Rfc2142Confirmed), F("postmaster@xn--bcher-kva.example", ContactSource.Rfc2142, ContactTier.Rfc2142Confirmed) };
        var policy = new ContactPolicy(
            [new ManualContact("abuse@bücher.example", ManualContactAction.Prefer, ContactScope.ForDomain("bücher.example"), "alice")],
            [new ContactSuppression("postmaster@BÜCHER.example", "asked us to stop", "carol")], []);
        var ranked = ContactRanking.Rank(Ip, ["xn--bcher-kva.example"], found, policy);
        Assert.Equal(2, ranked.Candidates.Count);
        Assert.Equal((ContactTier.Manual, ContactStatus.Active), (ranked.Candidates[0].Tier, ranked.Candidates[0].Status));
        Assert.Equal(ContactStatus.Suppressed, ranked.Candidates[1].Status);
    }

    [Fact]
    public void NextAfter_ReturnsNextActive_WhenAddressFailed()
    {
        var ranked = ContactRanking.Rank(Ip, ["example.co.uk"], AllTiers, new ContactPolicy([], [new ContactSuppression("abuse@lir.example.net", "x", "c")], []));
        Assert.Equal("registered@example.co.uk", ranked.NextAfter("abuse@customer.example.co.uk")?.Address);
    }

    [Theory]
    [InlineData(ContactTier.Manual, ContactConfidence.High)]
    [InlineData(ContactTier.RdapAbuse, ContactConfidence.High)]
    [InlineData(ContactTier.AbuseNetLookup, ContactConfidence.Medium)]
    [InlineData(ContactTier.Rfc2142Confirmed, ContactConfidence.Medium)]
    [InlineData(ContactTier.Soa, ContactConfidence.Low)]
    [InlineData(ContactTier.Unconfirmed, ContactConfidence.Low)]
    public void ConfidenceOf_MapsTier_WhenRanking(ContactTier tier, ContactConfidence expected) => Assert.Equal(expected, ContactRanking.ConfidenceOf(tier));
}
