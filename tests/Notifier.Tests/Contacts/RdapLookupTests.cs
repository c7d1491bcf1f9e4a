using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;
using Notifier.Telemetry;

namespace Notifier.Tests.Contacts;

[Collection(ContactsCollection.Name)]
public class RdapLookupTests(ContactsFixture fixture)
{
    private async Task<SourceResult> LookupAsync(string ip, params (string, string)[] overrides)
    {
        using var host = fixture.Build(null, overrides);
        return await host.Services.GetRequiredService<RdapLookup>().LookupAsync(IPAddress.Parse(ip), CancellationToken.None);
    }

    [Fact]
    public async Task LookupAsync_ReturnsSpecificThenParentAbuse_WhenRipeNetworkHasAnUpLink()
    {
        var result = await LookupAsync("192.0.2.7");
        Assert.Equal(["abuse@customer.example.co.uk", "abuse@lir.example.net"], result.Found.Select(f => f.Address));
        Assert.Equal([25, 24], result.Found.Select(f => f.NetworkPrefixLength));
        var evidence = result.Found[0].Evidence;
        Assert.Contains(evidence, e => e.Query.StartsWith("RDAP bootstrap", StringComparison.Ordinal) && e.Answer.Contains("/ripe/", StringComparison.Ordinal));
        Assert.Contains(evidence, e => e.Query.EndsWith("/ripe/ip/192.0.2.7", StringComparison.Ordinal) && e.Answer.Contains("AR-CUST-RIPE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupAsync_UsesParentOnly_WhenArinReassignmentHasNoAbuse()
    {
        var result = await LookupAsync("198.51.100.70");
        var found = Assert.Single(result.Found);
        Assert.Equal("abuse@provider.example.com", found.Address);
        Assert.Equal(24, found.NetworkPrefixLength);
        Assert.Contains(result.Notes, n => n.Reason.Contains("no abuse contact", StringComparison.Ordinal) && n.Reason.Contains("NET-198-51-100-64-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupAsync_NotesMissingEmail_WhenAbuseVcardHasNone()
    {
        var result = await LookupAsync("203.0.113.200");
        Assert.Equal(["abuse@member.example.jp"], result.Found.Select(f => f.Address));
        Assert.Contains(result.Notes, n => n.Reason.Contains("IRT-NOMAIL-JP has no email", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupAsync_FindsAbuse_WhenAddressIsIpv6()
    {
        var result = await LookupAsync("2001:db8:1::25");
        Assert.Equal(["abuse@v6.example.net"], result.Found.Select(f => f.Address));
    }

    [Fact]
    public async Task LookupAsync_DoesNotFollowParents_WhenDepthIsZero()
    {
        var result = await LookupAsync("192.0.2.7", ("RdapParentDepth", "0"));
        Assert.Equal(["abuse@customer.example.co.uk"], result.Found.Select(f => f.Address));
    }

    [Theory]
    [InlineData("198.18.0.4", "404", "00:00:04")]
    [InlineData("198.18.0.29", "429", "00:00:04")]
    [InlineData("198.18.0.50", "HTTP 500", "00:00:04")]
    [InlineData("198.18.0.77", "malformed JSON", "00:00:04")]
    [InlineData("198.18.0.88", "request failed", "00:00:04")]
    [InlineData("198.18.0.99", "timed out", "00:00:00.500")]
    [InlineData("10.1.2.3", "no RDAP service covers", "00:00:04")]
    public async Task LookupAsync_ReturnsNoteNotException_WhenRegistryFails(string ip, string reason, string timeout)
    {
        var result = await LookupAsync(ip, ("MaxRdapResponseBytes", "65536"), ("RdapTimeout", timeout));
        Assert.Empty(result.Found);
        Assert.Contains(result.Notes, n => n.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LookupAsync_PausesRegistry_WhenItAnswers429()
    {
        using var host = fixture.Build();
        var rdap = host.Services.GetRequiredService<RdapLookup>();
        using var rateLimited = new MetricCollector<long>(host.Services.GetRequiredService<NotifierMetrics>().Meter, "notifier.rdap.rate_limited");
        await rdap.LookupAsync(IPAddress.Parse("198.18.0.29"), CancellationToken.None);
        var before = fixture.Rdap.Hits("/errors/");
        var second = await rdap.LookupAsync(IPAddress.Parse("198.18.7.1"), CancellationToken.None);
        Assert.Equal(before, fixture.Rdap.Hits("/errors/"));
        Assert.Contains(second.Notes, n => n.Reason.Contains("rate-limited us (429)", StringComparison.Ordinal));
        // One 429 answered, one counted (the paused second lookup asked nothing), under the registry's host.
        var counted = Assert.Single(rateLimited.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Equal(new Uri(fixture.Rdap.BaseUrl).Host, counted.Tags["registry"]);
    }

    [Fact]
    public async Task LookupAsync_QueriesOnce_WhenThousandRelaysShareA24()
    {
        using var host = fixture.Build();
        var rdap = host.Services.GetRequiredService<RdapLookup>();
        var before = fixture.Rdap.Hits("/ripe/ip/198.19.");
        // Half at once (sharing the in-flight request), half afterwards (served from the network cache).
        var burst = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => rdap.LookupAsync(IPAddress.Parse($"198.19.0.{i % 256}"), CancellationToken.None)));
        var later = new List<SourceResult>();
        for (var i = 0; i < 500; i++) later.Add(await rdap.LookupAsync(IPAddress.Parse($"198.19.0.{i % 256}"), CancellationToken.None));
        Assert.Equal(1, fixture.Rdap.Hits("/ripe/ip/198.19.") - before);
        Assert.All(burst.Concat(later), r => Assert.Equal("abuse@bulk-hosting.example", Assert.Single(r.Found).Address));
        Assert.Contains(later[1].Found[0].Evidence, e => e.Query == "RDAP cache");
    }

    [Fact]
    public async Task LookupAsync_QueriesAgain_WhenSameBlockAddressIsOutsideTheCachedNetwork()
    {
        using var host = fixture.Build();
        var rdap = host.Services.GetRequiredService<RdapLookup>();
        // Concurrent: .200 shares the in-flight request for .7, whose /25 does not hold it.
        var results = await Task.WhenAll(rdap.LookupAsync(IPAddress.Parse("192.0.2.7"), CancellationToken.None), rdap.LookupAsync(IPAddress.Parse("192.0.2.200"), CancellationToken.None));
        Assert.Equal("abuse@customer.example.co.uk", results[0].Found[0].Address);
        Assert.Equal(("abuse@lir.example.net", (int?)24), (Assert.Single(results[1].Found).Address, results[1].Found[0].NetworkPrefixLength));
        var cached = await rdap.LookupAsync(IPAddress.Parse("192.0.2.201"), CancellationToken.None);
        Assert.Equal("abuse@lir.example.net", Assert.Single(cached.Found).Address);
    }

    [Fact]
    public async Task LookupAsync_QueriesAgain_WhenCacheExpired()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var host = fixture.Build(time);
        var rdap = host.Services.GetRequiredService<RdapLookup>();
        var before = fixture.Rdap.Hits("/ripe/ip/198.19.0.");
        await rdap.LookupAsync(IPAddress.Parse("198.19.0.1"), CancellationToken.None);
        time.Advance(TimeSpan.FromHours(23));
        await rdap.LookupAsync(IPAddress.Parse("198.19.0.2"), CancellationToken.None);
        Assert.Equal(1, fixture.Rdap.Hits("/ripe/ip/198.19.0.") - before);
        time.Advance(TimeSpan.FromHours(2));
        await rdap.LookupAsync(IPAddress.Parse("198.19.0.3"), CancellationToken.None);
        Assert.Equal(2, fixture.Rdap.Hits("/ripe/ip/198.19.0.") - before);
    }
}
