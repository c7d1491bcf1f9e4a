using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using DnsClient;
using Notifier.Cli;
using Notifier.Contacts;
using Notifier.Probing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;

namespace Notifier.Tests.Contacts;

[Collection(ContactsCollection.Name)]
public class ContactsCommandTests(ContactsFixture fixture)
{
    [Fact]
    public async Task RunAsync_PrintsRankedJson_WhenAskedForJson()
    {
        using var host = fixture.Build();
        using var stdout = new StringWriter();
        var code = await ContactsCommand.RunAsync(host.Services, ["192.0.2.7", "--json"], stdout, TextWriter.Null, CancellationToken.None);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout.ToString());
        var root = doc.RootElement;
        Assert.Equal("192.0.2.7", root.GetProperty("ip").GetString());
        Assert.Equal("abuse@customer.example.co.uk", root.GetProperty("chosen").GetString());
        var first = root.GetProperty("candidates")[0];
        Assert.Equal("abuse@customer.example.co.uk", first.GetProperty("address").GetString());
        Assert.Equal("rdap", first.GetProperty("source").GetString());
        Assert.Equal("high", first.GetProperty("confidence").GetString());
        Assert.Equal("active", first.GetProperty("status").GetString());
        Assert.Equal(25, first.GetProperty("networkPrefixLength").GetInt32());
        Assert.Contains(first.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("query").GetString()!.StartsWith("RDAP GET", StringComparison.Ordinal));
        var sources = root.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("source").GetString()).Distinct();
        Assert.Equal(["rdap", "abuse-net", "rfc2142", "soa"], sources);
    }

    [Fact]
    public async Task RunAsync_PrintsEvidenceChain_WhenHuman()
    {
        using var host = fixture.Build();
        using var stdout = new StringWriter();
        await ContactsCommand.RunAsync(host.Services, ["192.0.2.8"], stdout, TextWriter.Null, CancellationToken.None);
        var text = stdout.ToString();
        Assert.Contains(" 1. abuse@customer.example.co.uk", text, StringComparison.Ordinal);
        Assert.Contains("rfc2142, unconfirmed, low confidence, active", text, StringComparison.Ordinal);
        Assert.Contains("NOT forward-confirmed", text, StringComparison.Ordinal);
        Assert.Contains("Notes (lookups that gave nothing):", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-an-ip")]
    [InlineData("1.2")]
    [InlineData("192.0.2.300")]
    public async Task RunAsync_ExitsWithUsageError_WhenIpIsInvalid(string ip)
    {
        var e = await Assert.ThrowsAsync<CliUsageException>(() => ContactsCommand.RunAsync(null!, [ip], TextWriter.Null, TextWriter.Null, CancellationToken.None));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(2, await CliApp.RunAsync(["contacts", ip]));
    }

    [Fact]
    public void AddContacts_ReplacesProbingLookupClient_WhenBothAreAdded()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(fixture.Settings());
        builder.AddProbing();
        builder.AddContacts();
        Assert.Single(builder.Services, d => d.ServiceType == typeof(ILookupClient));
        using var host = builder.Build();
        var client = host.Services.GetRequiredService<ILookupClient>();
        Assert.Equal(fixture.Dns.Port, Assert.Single(client.NameServers).Port);
    }

    [Theory]
    [InlineData("NameServers:0", "dns.example")]
    [InlineData("RdapBootstrapUrl", "ftp://example/")]
    [InlineData("DnsTimeout", "00:10:00")]
    public async Task StartAsync_FailsValidation_WhenOptionsAreBad(string key, string value)
    {
        using var host = fixture.Build(null, (key, value));
        await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
    }
}
