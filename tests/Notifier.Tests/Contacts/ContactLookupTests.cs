using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Notifier.Contacts;
using Notifier.Telemetry;

namespace Notifier.Tests.Contacts;

[Collection(ContactsCollection.Name)]
public class ContactLookupTests(ContactsFixture fixture)
{
    private async Task<(ContactLookupResult Lookup, RankedContacts Ranked)> LookupAsync(string ip, params (string, string)[] overrides)
    {
        using var host = fixture.Build(null, overrides);
        var lookup = await host.Services.GetRequiredService<ContactLookup>().LookupAsync(IPAddress.Parse(ip), CancellationToken.None);
        return (lookup, ContactRanking.Rank(lookup, ContactPolicy.None));
    }

    private static string Summary(RankedContacts r) => string.Join(" | ", r.Candidates.Select(c => $"{c.Address} {c.Tier}"));

    [Fact]
    public async Task LookupAsync_RanksEverySource_WhenHostIsWellRun()
    {
        var (lookup, ranked) = await LookupAsync("192.0.2.7");
        Assert.Equal(
            [
                ("abuse@customer.example.co.uk", ContactTier.RdapAbuse), ("abuse@lir.example.net", ContactTier.RdapAbuse),
                ("security@example.co.uk", ContactTier.AbuseNetLookup),
                ("abuse@example.co.uk", ContactTier.Rfc2142Confirmed), ("postmaster@example.co.uk", ContactTier.Rfc2142Confirmed),
                ("dns-admin@example.co.uk", ContactTier.Soa), ("hostmaster@lir.example.net", ContactTier.Soa),
            ],
            ranked.Candidates.Select(c => (c.Address, c.Tier)));
        Assert.Equal(["example.co.uk"], lookup.ConfirmedDomains);
        Assert.True(Assert.Single(lookup.PtrNames).ForwardConfirmed);
        var rfc = ranked.Candidates.Single(c => c.Address == "abuse@example.co.uk");
        Assert.Equal(
            ["PTR 7.2.0.192.in-addr.arpa.", "A mail.example.co.uk", "FCrDNS mail.example.co.uk", "Public Suffix List: mail.example.co.uk", "MX example.co.uk", "RFC 2142 abuse"],
            rfc.Evidence.Select(e => e.Query.Split(" @")[0]));
        Assert.DoesNotContain(lookup.Notes, n => n.Source is "reverse DNS" or "RFC 2142");
    }

    [Fact]
    public async Task LookupAsync_MarksDomainSourcesUnconfirmed_WhenPtrIsNotForwardConfirmed()
    {
        var (lookup, ranked) = await LookupAsync("192.0.2.8");
        Assert.False(Assert.Single(lookup.PtrNames).ForwardConfirmed);
        Assert.Empty(lookup.ConfirmedDomains);
        var victim = ranked.Candidates.Where(c => c.Address.EndsWith("@victim.example", StringComparison.Ordinal)).ToList();
        Assert.Equal(["abuse@victim.example", "postmaster@victim.example", "hostmaster@victim.example"], victim.Select(c => c.Address));
        Assert.All(victim, c => Assert.Equal((ContactTier.Unconfirmed, ContactConfidence.Low), (c.Tier, c.Confidence)));
        Assert.True(ranked.Candidates[^1].Tier == ContactTier.Unconfirmed, Summary(ranked));
        Assert.Contains(lookup.Notes, n => n.Reason.Contains("NOT forward-confirmed", StringComparison.Ordinal));
        Assert.Contains(lookup.Notes, n => n.Source == "abuse.net" && n.Reason.StartsWith("not asked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupAsync_UsesAsciiDomain_WhenPtrNameIsInternationalized()
    {
        var (_, ranked) = await LookupAsync("192.0.2.9");
        var abuse = ranked.Candidates.Single(c => c.Address == "abuse@xn--bcher-kva.example");
        // abuse.net answered "default": its guess ranks like our RFC 2142 guess, which found the same address.
        Assert.Equal(ContactTier.Rfc2142Confirmed, abuse.Tier);
        Assert.Equal([ContactSource.AbuseNet, ContactSource.Rfc2142], abuse.Sources);
        Assert.Contains(abuse.Evidence, e => e.Answer.Contains("bücher.example", StringComparison.Ordinal));
        Assert.Contains(abuse.Evidence, e => e.Answer.Contains("default guess", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("192.0.2.10", "SERVFAIL", "00:00:02")]
    [InlineData("192.0.2.11", "NXDOMAIN", "00:00:02")]
    [InlineData("192.0.2.12", "timed out", "00:00:00.300")]
    public async Task LookupAsync_KeepsRdapAndNotesReason_WhenReverseDnsFails(string ip, string reason, string dnsTimeout)
    {
        var clock = Stopwatch.StartNew();
        var (lookup, ranked) = await LookupAsync(ip, ("DnsTimeout", dnsTimeout));
        // The slow name answers after 5 s; the lookup must give up long before.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.Empty(lookup.PtrNames);
        Assert.Contains(lookup.Notes, n => n.Source == "reverse DNS" && n.Reason.Contains(reason, StringComparison.Ordinal));
        Assert.Equal("abuse@customer.example.co.uk", ranked.Chosen?.Address);
        Assert.DoesNotContain(ranked.Candidates, c => c.Source is ContactSource.Rfc2142 or ContactSource.AbuseNet);
    }

    [Theory]
    [InlineData("192.0.2.10", "ServerFailure")]
    [InlineData("192.0.2.12", "timeout")]
    [InlineData("192.0.2.11", null)]
    public async Task LookupAsync_CountsTheFailedReverseQuery_ButNotNxdomain(string ip, string? reason)
    {
        using var host = fixture.Build(null, ("DnsTimeout", "00:00:00.300"));
        using var failures = new MetricCollector<long>(host.Services.GetRequiredService<NotifierMetrics>().Meter, "notifier.dns.failures");

        await host.Services.GetRequiredService<ContactLookup>().LookupAsync(IPAddress.Parse(ip), CancellationToken.None);

        // NXDOMAIN is an answer (no PTR), not a failure an admin should be alerted to.
        var ptr = failures.GetMeasurementSnapshot().Where(m => (string?)m.Tags["type"] == "PTR").ToList();
        if (reason is null) Assert.Empty(ptr);
        else Assert.Equal(reason, Assert.Single(ptr).Tags["reason"]);
    }

    [Fact]
    public async Task LookupAsync_IgnoresHugeTxtNullMxAndJunkSoa_WhenDomainMisbehaves()
    {
        var (lookup, ranked) = await LookupAsync("192.0.2.13");
        Assert.DoesNotContain(ranked.Candidates, c => c.Address.EndsWith("huge.example", StringComparison.Ordinal) || c.Address.EndsWith("localhost", StringComparison.Ordinal));
        Assert.Contains(lookup.Notes, n => n.Source == "abuse.net" && n.Reason.Contains("exceeds", StringComparison.Ordinal));
        Assert.Contains(lookup.Notes, n => n.Source == "RFC 2142" && n.Reason.Contains("null MX", StringComparison.Ordinal));
        Assert.Contains(lookup.Notes, n => n.Source == "SOA" && n.Query.Contains("huge.example", StringComparison.Ordinal) && n.Reason.Contains("root.localhost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupAsync_FindsEverySource_WhenAddressIsIpv6()
    {
        var (lookup, ranked) = await LookupAsync("2001:db8:1::25");
        Assert.Equal(["abuse@v6.example.net", "abuse@example.net", "postmaster@example.net", "hostmaster@example.net", "ipv6-admin@example.net"],
            ranked.Candidates.Select(c => c.Address));
        Assert.Equal(["example.net"], lookup.ConfirmedDomains);
    }

    [Fact]
    public async Task LookupAsync_TreatsMappedAddressAsIpv4_WhenGivenIpv4MappedIpv6()
    {
        var (lookup, ranked) = await LookupAsync("::ffff:192.0.2.7");
        Assert.Equal(IPAddress.Parse("192.0.2.7"), lookup.Ip);
        Assert.Equal("abuse@customer.example.co.uk", ranked.Chosen?.Address);
    }
}
