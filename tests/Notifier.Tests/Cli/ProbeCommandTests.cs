using Notifier.Cli;
using Notifier.Probing;
using Notifier.Tests.Contacts;
using Notifier.Tests.Hosting;
using Notifier.Tests.Probing;

namespace Notifier.Tests.Cli;

public sealed class ProbeCommandTests
{
    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1", 25)]
    [InlineData("192.0.2.1:587", "192.0.2.1", 587)]
    [InlineData("[2001:db8::1]:2525", "2001:db8::1", 2525)]
    [InlineData("2001:db8::1", "2001:db8::1", 25)]
    [InlineData("mail.example.com:465", "mail.example.com", 465)]
    [InlineData("mx:example.com", "mx:example.com", 25)]
    public void ParseRequest_SplitsHostAndPort(string target, string host, int port)
    {
        var r = ProbeCommand.ParseRequest([target], out _);

        Assert.Equal(host, r.Host);
        Assert.Equal(port, r.Port);
    }

    [Theory]
    [InlineData("192.0.2.1:0")]
    [InlineData("192.0.2.1:70000")]
    [InlineData("192.0.2.1:abc")]
    [InlineData("[2001:db8::1")]
    [InlineData("192.0.2.1 --timeout -3")]
    [InlineData("192.0.2.1 --bogus")]
    [InlineData("192.0.2.1 --canary-domain not_a_domain")]
    [InlineData("")]
    [InlineData("192.0.2.1 --rcpt-only --full")]
    [InlineData("192.0.2.1 --rcpt-only --confirm --imap imap://u:p@127.0.0.1:143")]
    [InlineData("192.0.2.1 --variant plain,")]
    [InlineData("192.0.2.1 --variant")]
    public void ParseRequest_RejectsWithOneLine_WhenArgumentsAreBad(string line)
    {
        var args = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        var e = Assert.Throws<CliUsageException>(() => ProbeCommand.ParseRequest(args, out _));

        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ParseRequest_ReadsOptions()
    {
        var r = ProbeCommand.ParseRequest(["192.0.2.1", "--full", "--json", "--allow-private", "--canary-domain", "Canary.Example.org", "--timeout", "7.5", "--tls"], out var json);

        Assert.True(json);
        Assert.Equal(ProbeMode.Full, r.Mode);
        Assert.Equal(TlsMode.Implicit, r.Tls);
        Assert.True(r.AllowPrivateTargets);
        Assert.Equal("canary.example.org", r.CanaryDomain);
        Assert.Equal(TimeSpan.FromSeconds(7.5), r.Timeout);
    }

    [Fact]
    public void ParseRequest_ReadsRcptOnlyAndEveryVariant_WhenRepeatedOrCommaSeparated()
    {
        var r = ProbeCommand.ParseRequest(["192.0.2.1", "--rcpt-only", "--variant", "plain,null-sender", "--variant=percent-hack"], out _);

        Assert.Equal(ProbeMode.RcptOnly, r.Mode);
        Assert.Equal(["plain", "null-sender", "percent-hack"], r.Variants);
    }

    [Fact]
    public void ParseRequest_SelectsEveryVariant_WhenNoneIsNamed()
    {
        var r = ProbeCommand.ParseRequest(["192.0.2.1"], out _);

        Assert.Null(r.Variants);
        Assert.Equal(ProbeMode.Quick, r.Mode);
    }

    [Fact]
    public void ParseRequest_SaysRcptOnlyContradictsFull_WhenBothAreGiven()
    {
        var e = Assert.Throws<CliUsageException>(() => ProbeCommand.ParseRequest(["192.0.2.1", "--full", "--rcpt-only"], out _));

        Assert.Contains("--rcpt-only and --full", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_DescribesRcptOnlyAndVariant()
    {
        Assert.Contains("--rcpt-only", ProbeCommand.Usage, StringComparison.Ordinal);
        Assert.Contains("--variant <name>", ProbeCommand.Usage, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IpAddressTextTests.MistypedIPv4StayingOnLoopback), MemberType = typeof(IpAddressTextTests))]
    public async Task Probe_ExitsWith2AndOneLine_WithoutAskingDns_WhenADottedQuadIsMistyped(string target)
    {
        // DNS goes to a server on loopback, so a lookup the verb should not make is counted, not sent out.
        using var dns = new TestDnsServer();

        var (code, stdout, stderr) = await NotifierProcess.RunAsync(["probe", target, "--json"],
            new Dictionary<string, string>
            {
                ["Notifier__Contacts__NameServers__0"] = dns.NameServer,
                // No key files: a first run would announce a new DKIM key on stderr.
                ["Notifier__Probing__DkimKeyFile"] = "",
                ["Notifier__Probing__TokenKeyFile"] = "",
            });

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var error = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => !l.StartsWith("note:", StringComparison.Ordinal));
        Assert.Contains("is not a valid IPv4 address", error);
        Assert.Equal(0, dns.QueryCount);
    }
}
