using System.Net;
using ARSoft.Tools.Net.Dns;
using DnsClient;
using Notifier.Probing;
using Notifier.Tests.Contacts;
using ArARecord = ARSoft.Tools.Net.Dns.ARecord;
using ArMxRecord = ARSoft.Tools.Net.Dns.MxRecord;

namespace Notifier.Tests.Probing;

/// <summary>What a user types as the probe target, resolved against a DNS server on loopback.</summary>
public sealed class TargetResolverTests : IDisposable
{
    private readonly TestDnsServer _dns = new();
    private readonly TargetResolver _resolver;

    public TargetResolverTests()
    {
        _dns.Add(new ArMxRecord(TestDnsServer.Name("victim.test"), 300, 20, TestDnsServer.Name("backup.victim.test")))
            .Add(new ArMxRecord(TestDnsServer.Name("victim.test"), 300, 10, TestDnsServer.Name("mx1.victim.test")))
            .Add(new ArARecord(TestDnsServer.Name("mx1.victim.test"), 300, IPAddress.Parse("127.0.0.25")))
            .Add(new ArARecord(TestDnsServer.Name("backup.victim.test"), 300, IPAddress.Parse("127.0.0.26")))
            .Add(new ArARecord(TestDnsServer.Name("inside.victim.test"), 300, IPAddress.Parse("10.0.0.1")));
        _resolver = new TargetResolver(new LookupClient(new LookupClientOptions(new NameServer(IPAddress.Loopback, _dns.Port)) { UseCache = false, Timeout = TimeSpan.FromSeconds(5) }));
    }

    [Fact]
    public async Task ResolveAsync_TakesTheBestMx_WhenGivenMxPrefix()
    {
        var r = await _resolver.ResolveAsync("mx:victim.test", CancellationToken.None);

        Assert.Equal(IPAddress.Parse("127.0.0.25"), r.Address);
        Assert.Equal("mx1.victim.test", r.Name);
        Assert.Contains(r.Notes, n => n.Contains("preference 10", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResolveAsync_UsesAddressRecords_ForAHostName()
    {
        var r = await _resolver.ResolveAsync("backup.victim.test", CancellationToken.None);

        Assert.Equal(IPAddress.Parse("127.0.0.26"), r.Address);
    }

    [Theory]
    [InlineData("mx:nomx.test")]
    [InlineData("nothing.victim.test")]
    [InlineData("not a host")]
    public async Task ResolveAsync_ThrowsRequestError_WhenNothingToProbe(string target)
    {
        await Assert.ThrowsAsync<ProbeRequestException>(() => _resolver.ResolveAsync(target, CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAsync_AsksNoDns_ForAddressLiterals()
    {
        Assert.Equal(IPAddress.Parse("2001:db8::25"), (await _resolver.ResolveAsync("[2001:db8::25]", CancellationToken.None)).Address);
        Assert.Equal(0, _dns.QueryCount);
    }

    [Theory]
    [MemberData(nameof(IpAddressTextTests.MistypedIPv4), MemberType = typeof(IpAddressTextTests))]
    public async Task ResolveAsync_RefusesWithoutAskingDns_WhenADottedQuadIsMistyped(string target)
    {
        var e = await Assert.ThrowsAsync<ProbeRequestException>(() => _resolver.ResolveAsync(target, CancellationToken.None));

        Assert.Contains("is not a valid IPv4 address", e.Message);
        Assert.Equal(0, _dns.QueryCount);
    }

    [Fact]
    public async Task ResolveAsync_RefusesWithoutAskingDns_WhenAnMxDomainIsADottedQuad()
    {
        await Assert.ThrowsAsync<ProbeRequestException>(() => _resolver.ResolveAsync("mx:999.1.1.1", CancellationToken.None));

        Assert.Equal(0, _dns.QueryCount);
    }

    [Theory]
    [InlineData("inside.victim.test", "private")]
    [InlineData("mx1.victim.test", "loopback")]
    public async Task ProbeAsync_Refuses_WhenAHostNameResolvesToAPrivateAddress(string name, string why)
    {
        var probe = ProbeHarness.Create(ProbeHarness.Options(o => o.AllowPrivateTargets = false), resolver: _resolver);

        var e = await Assert.ThrowsAsync<ProbeRequestException>(() => probe.ProbeAsync(new ProbeRequest { Host = name }, CancellationToken.None));

        Assert.Contains(why, e.Message);
    }

    public void Dispose() => _dns.Dispose();
}
