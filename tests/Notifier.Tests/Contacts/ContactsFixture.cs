using System.Net;
using ARSoft.Tools.Net.Dns;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Notifier.Contacts;
using Notifier.ReferenceData;
using static Notifier.Tests.Contacts.TestDnsServer;
using ArARecord = ARSoft.Tools.Net.Dns.ARecord;
using ArAaaaRecord = ARSoft.Tools.Net.Dns.AaaaRecord;
using ArHInfoRecord = ARSoft.Tools.Net.Dns.HInfoRecord;
using ArMxRecord = ARSoft.Tools.Net.Dns.MxRecord;
using ArPtrRecord = ARSoft.Tools.Net.Dns.PtrRecord;
using ArSoaRecord = ARSoft.Tools.Net.Dns.SoaRecord;
using ArTxtRecord = ARSoft.Tools.Net.Dns.TxtRecord;

namespace Notifier.Tests.Contacts;

/// <summary>
/// The loopback DNS and RDAP servers, started once for all contact tests. Each test builds its own services
/// (fresh caches) pointed at them. Addresses are documentation ranges; the story of each:
/// 192.0.2.7 a well-run host (everything answers) · .8 PTR not forward-confirmed · .9 IDN name ·
/// .10 PTR SERVFAIL · .11 no PTR · .12 PTR times out · .13 huge TXT, null MX, junk SOA ·
/// 198.51.100.70 ARIN customer without abuse (parent has it) · 203.0.113.200 APNIC abuse vCard without email ·
/// .14 under a suffix of a refreshed list only · 2001:db8:1::25 IPv6 · 198.18.0.x RDAP errors · 198.19.0.x many relays in one /24.
/// </summary>
public sealed class ContactsFixture : IAsyncLifetime
{
    public TestDnsServer Dns { get; } = new();

    public TestRdapServer Rdap { get; private set; } = null!;

    /// <summary>
    /// The reference data directory of every host built here: the test bootstrap is downloaded into it once, and each
    /// host loads it from there at start, as the service and the contacts verb load the stored copy.
    /// </summary>
    public string ReferenceDirectory { get; } = Directory.CreateTempSubdirectory("notifier-contacts-reference-").FullName;

    public async Task InitializeAsync()
    {
        Rdap = await TestRdapServer.StartAsync();
        using (var host = Build())
        {
            var outcome = await host.Services.GetRequiredService<RdapBootstrapRefresh>().RefreshAsync(CancellationToken.None);
            if (!outcome.Contains("replaced the bootstrap in use", StringComparison.Ordinal)) throw new InvalidOperationException("the test bootstrap was not stored: " + outcome);
        }
        Zone("2.0.192.in-addr.arpa", "ns1.lir.example.net", "hostmaster.lir.example.net");
        Dns.Add(new ArPtrRecord(Name("7.2.0.192.in-addr.arpa"), 300, Name("mail.example.co.uk")))
            .Add(new ArARecord(Name("mail.example.co.uk"), 300, IPAddress.Parse("192.0.2.7")));
        Zone("example.co.uk", "ns1.example.co.uk", "dns-admin.example.co.uk");
        Dns.Add(new ArMxRecord(Name("example.co.uk"), 300, 10, Name("mx.example.co.uk")));
        Zone("contacts.abuse.net", "ns.abuse.net", "hostmaster.abuse.net");
        Dns.Add(new ArTxtRecord(Name("example.co.uk.contacts.abuse.net"), 300, "security@example.co.uk"))
            .Add(new ArHInfoRecord(Name("example.co.uk.contacts.abuse.net"), 300, "lookup", ""));

        Dns.Add(new ArPtrRecord(Name("8.2.0.192.in-addr.arpa"), 300, Name("spoof.victim.example")))
            .Add(new ArARecord(Name("spoof.victim.example"), 300, IPAddress.Parse("203.0.113.1")));
        Zone("victim.example", "ns1.victim.example", "hostmaster.victim.example");
        Dns.Add(new ArMxRecord(Name("victim.example"), 300, 10, Name("mx.victim.example")));

        Dns.Add(new ArPtrRecord(Name("9.2.0.192.in-addr.arpa"), 300, Name("mail.xn--bcher-kva.example")))
            .Add(new ArARecord(Name("mail.xn--bcher-kva.example"), 300, IPAddress.Parse("192.0.2.9")));
        Zone("xn--bcher-kva.example", "ns1.xn--bcher-kva.example", "hostmaster.xn--bcher-kva.example");
        Dns.Add(new ArMxRecord(Name("xn--bcher-kva.example"), 300, 10, Name("mx.xn--bcher-kva.example")))
            .Add(new ArTxtRecord(Name("xn--bcher-kva.example.contacts.abuse.net"), 300, "abuse@xn--bcher-kva.example"))
            .Add(new ArHInfoRecord(Name("xn--bcher-kva.example.contacts.abuse.net"), 300, "default", ""));

        Dns.Add(new ArTxtRecord(Name("nohinfo.example.contacts.abuse.net"), 300, "Ops@NoHinfo.example"))
            .Add(new ArTxtRecord(Name("nohinfo.example.contacts.abuse.net"), 300, "not-an-address"));

        Dns.Set("10.2.0.192.in-addr.arpa", Behaviour.ServFail);
        Dns.Set("12.2.0.192.in-addr.arpa", Behaviour.Slow);

        Dns.Add(new ArPtrRecord(Name("13.2.0.192.in-addr.arpa"), 300, Name("host.huge.example")))
            .Add(new ArARecord(Name("host.huge.example"), 300, IPAddress.Parse("192.0.2.13")));
        Zone("huge.example", "ns1.huge.example", "root.localhost");
        Dns.Add(new ArMxRecord(Name("huge.example"), 300, 0, ARSoft.Tools.Net.DomainName.Root))
            .Add(new ArTxtRecord(Name("huge.example.contacts.abuse.net"), 300,
                Enumerable.Range(0, 40).Select(i => $"abuse{i}@huge.example " + new string('x', 200))));

        // A host under a suffix only a refreshed Public Suffix List knows (the contacts verb's stored-copy test).
        Dns.Add(new ArPtrRecord(Name("14.2.0.192.in-addr.arpa"), 300, Name("mail.desk.suffix.notifier-test")))
            .Add(new ArARecord(Name("mail.desk.suffix.notifier-test"), 300, IPAddress.Parse("192.0.2.14")));
        Zone("desk.suffix.notifier-test", "ns1.desk.suffix.notifier-test", "hostmaster.desk.suffix.notifier-test");
        Dns.Add(new ArMxRecord(Name("desk.suffix.notifier-test"), 300, 10, Name("mail.desk.suffix.notifier-test")));

        Zone("1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa", "ns1.example.net", "ipv6-admin.example.net");
        Dns.Add(new ArPtrRecord(Name("5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"), 300, Name("mx6.example.net")))
            .Add(new ArAaaaRecord(Name("mx6.example.net"), 300, IPAddress.Parse("2001:db8:1::25")));
        Zone("example.net", "ns1.example.net", "hostmaster.example.net");
        Dns.Add(new ArMxRecord(Name("example.net"), 300, 10, Name("mx6.example.net")));
    }

    private void Zone(string apex, string mname, string rname) =>
        Dns.Add(new ArSoaRecord(Name(apex), 300, Name(mname), Name(rname), 2025010101, 3600, 600, 86400, 300));

    /// <summary>Configuration pointing contact discovery at the loopback servers, plus per-test overrides.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Contacts:NameServers:0"] = Dns.NameServer,
            ["Contacts:RdapBootstrapUrl"] = Rdap.BootstrapUrl,
            // Generous, so a loaded 2-core CI box does not turn answers into timeouts; timeout tests shorten them.
            ["Contacts:DnsTimeout"] = "00:00:02",
            ["Contacts:DnsRetries"] = "0",
            ["Contacts:RdapTimeout"] = "00:00:04",
            ["ReferenceData:Directory"] = ReferenceDirectory,
            // The contacts verb reads policy from the configured database when its file exists: none here.
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(Path.GetTempPath(), "notifier-no-database", Guid.NewGuid().ToString("n"), "notifier.db")}",
        };
        foreach (var (key, value) in overrides) settings["Contacts:" + key] = value;
        return settings;
    }

    /// <summary>A fresh container (empty caches) with AddContacts and the stored reference data, as the service and the CLI build it.</summary>
    public IHost Build(TimeProvider? time = null, params (string Key, string Value)[] overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Configuration.AddInMemoryCollection(Settings(overrides));
        if (time is not null) builder.Services.TryAddSingleton(time);
        return BuildWithReferenceData(builder);
    }

    /// <summary>Adds contacts and the reference data to <paramref name="builder"/>, builds it and loads the stored copies (the service's start, the CLI's contacts verb).</summary>
    public static IHost BuildWithReferenceData(HostApplicationBuilder builder)
    {
        builder.AddContacts();
        builder.AddReferenceData();
        var host = builder.Build();
        host.Services.LoadReferenceData();
        return host;
    }

    public async Task DisposeAsync()
    {
        Dns.Dispose();
        await Rdap.DisposeAsync();
        Directory.Delete(ReferenceDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ContactsCollection : ICollectionFixture<ContactsFixture>
{
    public const string Name = "contacts servers";
}
