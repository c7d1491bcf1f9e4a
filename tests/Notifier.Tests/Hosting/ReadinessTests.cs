using System.Globalization;
using System.Net;
using System.Text.Json;
using Notifier.Notices;
using Notifier.Probing;
using Notifier.Tests.Contacts;
using Notifier.Tests.Lab;
using ArTxtRecord = ARSoft.Tools.Net.Dns.TxtRecord;

namespace Notifier.Tests.Hosting;

/// <summary>
/// /healthz/ready follows its dependencies: the lab's Dovecot (IMAP login) and smarthost (STARTTLS, AUTH) behind
/// ports a test takes down and brings back, and the DKIM record on the tests' loopback DNS server. /healthz/live
/// asks nothing and /healthz only the service's own state.
/// </summary>
[Collection(LabBesideCollection.Name)]
public sealed class ReadinessTests : IDisposable
{
    private readonly SwitchableForwarder _imap;
    private readonly SwitchableForwarder _smarthost;
    private readonly TestDnsServer _dns = new();
    private readonly NotifierFactory _factory;

    public ReadinessTests(Notifier.Tests.Lab.Lab lab)
    {
        _imap = new SwitchableForwarder(lab.EndPoint("IMAP"));
        _smarthost = new SwitchableForwarder(lab.EndPoint("SMARTHOST"));
        _factory = new NotifierFactory(new Dictionary<string, string?>
        {
            ["Inbox:Host"] = "127.0.0.1",
            ["Inbox:Port"] = _imap.Port.ToString(CultureInfo.InvariantCulture),
            ["Inbox:Tls"] = "None",
            ["Inbox:User"] = lab["NOTIFIER_LAB_IMAP_USER"],
            ["Inbox:Password"] = lab["NOTIFIER_LAB_IMAP_PASSWORD"],
            ["Inbox:Timeout"] = "00:00:05",
            ["Notices:Smarthost:Host"] = "127.0.0.1",
            ["Notices:Smarthost:Port"] = _smarthost.Port.ToString(CultureInfo.InvariantCulture),
            ["Notices:Smarthost:Security"] = "StartTls",
            ["Notices:Smarthost:AcceptAnyServerCertificate"] = "true",
            ["Notices:Smarthost:UserName"] = lab["NOTIFIER_LAB_SMARTHOST_USER"],
            ["Notices:Smarthost:Password"] = lab["NOTIFIER_LAB_SMARTHOST_PASSWORD"],
            ["Notices:Smarthost:ConnectTimeout"] = "00:00:05",
            ["Contacts:NameServers:0"] = _dns.NameServer,
            ["Contacts:DnsRetries"] = "0",
            // No job server: the recurring inbox poll must not move the lab's shared canary mail; the checks only log in.
            ["Jobs:RunServer"] = "false",
        });
    }

    public void Dispose()
    {
        _factory.Dispose();
        _imap.Dispose();
        _smarthost.Dispose();
        _dns.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path)
    {
        var r = await _factory.CreateClient().GetAsync(path);
        return (r.StatusCode, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement);
    }

    private async Task<JsonElement> ReadyCheckAsync(string name)
    {
        var (status, body) = await GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, status);
        return body.GetProperty("checks").GetProperty(name);
    }

    /// <summary>Publishes the records of both keys: the test messages' and the notices' (appsettings.json gives notices one).</summary>
    private void PublishDkimRecords()
    {
        var keys = new[] { _factory.Services.GetRequiredService<DkimKey>().Signer, _factory.Services.GetRequiredService<NoticeSigner>().Key };
        foreach (var key in keys.OfType<TestMessageSigner>())
        {
            var value = "v=DKIM1; k=rsa; p=" + key.PublicKey;
            _dns.Add(new ArTxtRecord(TestDnsServer.Name(key.RecordName), 300, value.Chunk(255).Select(c => new string(c))));
        }
    }

    [Fact]
    public async Task Ready_IsDegradedAndRecovers_WhenTheImapServerGoesDownAndComesBack()
    {
        Assert.Equal("Healthy", (await ReadyCheckAsync("imap")).GetProperty("status").GetString());

        _imap.Down();
        var down = await ReadyCheckAsync("imap");
        _imap.Up();
        var back = await ReadyCheckAsync("imap");

        Assert.Equal("Degraded", down.GetProperty("status").GetString());
        Assert.Contains("no IMAP login to 127.0.0.1", down.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", back.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_IsDegradedAndRecovers_WhenTheSmarthostGoesDownAndComesBack()
    {
        Assert.Equal("Healthy", (await ReadyCheckAsync("smarthost")).GetProperty("status").GetString());

        _smarthost.Down();
        var down = await ReadyCheckAsync("smarthost");
        _smarthost.Up();
        var back = await ReadyCheckAsync("smarthost");

        Assert.Equal("Degraded", down.GetProperty("status").GetString());
        Assert.Contains("notices are deferred", down.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", back.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ready_WarnsWithTheRecordToPublish_UntilTheDkimRecordIsPublished()
    {
        var key = _factory.Services.GetRequiredService<DkimKey>().Signer!;

        var missing = await ReadyCheckAsync("dkim");
        PublishDkimRecords();
        var published = await ReadyCheckAsync("dkim");

        Assert.Equal("Degraded", missing.GetProperty("status").GetString());
        var warning = missing.GetProperty("description").GetString()!;
        Assert.Contains($"no DKIM record at {key.RecordName}", warning, StringComparison.Ordinal);
        Assert.Contains(key.DnsRecord, warning, StringComparison.Ordinal);
        Assert.True(published.GetProperty("status").GetString() == "Healthy", published.ToString());
    }

    [Fact]
    public async Task Live_IsHealthyAndAsksNoDependency_WhenImapAndSmarthostAreDown()
    {
        _imap.Down();
        _smarthost.Down();

        var (liveStatus, live) = await GetAsync("/healthz/live");
        var (_, own) = await GetAsync("/healthz");
        var (readyStatus, ready) = await GetAsync("/healthz/ready");

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("Healthy", live.GetProperty("status").GetString());
        Assert.Empty(live.GetProperty("checks").EnumerateObject());
        Assert.Equal(["database", "inbox", "jobs"], own.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Degraded", ready.GetProperty("status").GetString());
        Assert.Contains("imap", ready.GetProperty("checks").EnumerateObject().Select(c => c.Name));
    }
}
