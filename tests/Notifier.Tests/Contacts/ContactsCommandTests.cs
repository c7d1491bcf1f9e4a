using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using DnsClient;
using Notifier.Cli;
using Notifier.Contacts;
using Notifier.Probing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;

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

    private IHost BuildWithDatabase(string path)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Configuration.AddInMemoryCollection(fixture.Settings());
        builder.Configuration["Database:ConnectionString"] = $"Data Source={path}";
        return ContactsFixture.BuildWithReferenceData(builder);
    }

    [Fact]
    public async Task RunAsync_RanksWithoutPolicyAndSaysSo_WithoutCreatingDatabase_WhenNoneExists()
    {
        var dir = Path.Combine(Path.GetTempPath(), "notifier-contacts-cli", Guid.NewGuid().ToString("n"));
        var path = Path.Combine(dir, "data", "notifier.db");
        using var host = BuildWithDatabase(path);
        using var stdout = new StringWriter();
        using var human = new StringWriter();

        await ContactsCommand.RunAsync(host.Services, ["192.0.2.7", "--json"], stdout, TextWriter.Null, CancellationToken.None);
        await ContactsCommand.RunAsync(host.Services, ["192.0.2.7"], human, TextWriter.Null, CancellationToken.None);

        using var doc = JsonDocument.Parse(stdout.ToString());
        var policy = doc.RootElement.GetProperty("policy");
        Assert.False(policy.GetProperty("applied").GetBoolean());
        Assert.Equal($"no database at {path} yet: ranked without manual rules, suppressions or bounces", policy.GetProperty("note").GetString());
        Assert.Equal("abuse@customer.example.co.uk", doc.RootElement.GetProperty("chosen").GetString());
        Assert.Contains($"Policy: no database at {path} yet", human.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir), "the lookup created a database folder");
    }

    [Fact]
    public async Task RunAsync_AppliesDatabaseRulesSuppressionsAndBounces_WhenDatabaseExists()
    {
        var dir = Directory.CreateTempSubdirectory("notifier-contacts-cli-").FullName;
        var path = Path.Combine(dir, "notifier.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite($"Data Source={path};Pooling=False").Options;
            await using (var db = new SqliteNotifierDb(options))
            {
                await db.Database.MigrateAsync();
                var now = DateTimeOffset.UtcNow;
                var c = CaseWorkflow.Open("192.0.2.7", 25, "192.0.2.7:25", "test", null, "test", now);
                db.Cases.Add(c);
                await db.SaveChangesAsync();
                db.Suppressions.Add(new Suppression { Value = "abuse@customer.example.co.uk", Reason = "opted out", AddedBy = "operator:test", AddedAt = now });
                db.ContactBounces.Add(new ContactBounce { Address = "security@example.co.uk", At = now, Diagnostic = "5.1.1 user unknown" });
                db.ManualContactRules.Add(new ManualContactRule { Address = "noc@lir.example.net", Action = "prefer", Scope = "network", Network = "192.0.2.0/24", AddedBy = "operator:test", AddedAt = now });
                db.ManualContactRules.Add(new ManualContactRule { Address = "case-only@example.org", Action = "prefer", Scope = "case", CaseId = c.Id, AddedBy = "operator:test", AddedAt = now });
                await db.SaveChangesAsync();
            }
            var before = await File.ReadAllBytesAsync(path);
            using var host = BuildWithDatabase(path);
            using var stdout = new StringWriter();

            Assert.Equal(0, await ContactsCommand.RunAsync(host.Services, ["192.0.2.7", "--json"], stdout, TextWriter.Null, CancellationToken.None));

            using var doc = JsonDocument.Parse(stdout.ToString());
            var root = doc.RootElement;
            var policy = root.GetProperty("policy");
            Assert.True(policy.GetProperty("applied").GetBoolean());
            Assert.Equal($"database {path}: 1 domain/network rule, 1 suppression and 1 bounce considered", policy.GetProperty("note").GetString());
            var status = root.GetProperty("candidates").EnumerateArray().ToDictionary(c => c.GetProperty("address").GetString()!, c => c.GetProperty("status").GetString());
            Assert.Equal("suppressed", status["abuse@customer.example.co.uk"]);
            Assert.Equal("bounced", status["security@example.co.uk"]);
            Assert.Equal("active", status["noc@lir.example.net"]);
            Assert.False(status.ContainsKey("case-only@example.org"), "a case rule applied without a case");
            Assert.Equal("noc@lir.example.net", root.GetProperty("chosen").GetString());
            Assert.Equal(before, await File.ReadAllBytesAsync(path));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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

    /// <summary>
    /// The verb as a user runs it, in a service's working directory: it looks up with the Public Suffix List and the
    /// RDAP bootstrap the service stored in data/reference, not the shipped ones, and downloads neither (its
    /// bootstrap URL answers nothing).
    /// </summary>
    [Fact]
    public async Task ContactsVerb_UsesTheReferenceDataTheServiceStored()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("notifier-contacts-verb-").FullName;
        var stored = Directory.CreateDirectory(Path.Combine(workingDirectory, "data", "reference")).FullName;
        var list = Path.Combine(stored, Notifier.ReferenceData.PublicSuffixListRefresh.FileName);
        await File.WriteAllBytesAsync(list, Notifier.Tests.ReferenceData.TestListServer.ShippedListWith("suffix.notifier-test"));
        new Notifier.ReferenceData.ReferenceCopy("http://mirror.test/list.dat", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow).WriteBeside(list);
        foreach (var file in Directory.GetFiles(fixture.ReferenceDirectory, "ipv*")) File.Copy(file, Path.Combine(stored, Path.GetFileName(file)));
        var environment = fixture.Settings(("RdapBootstrapUrl", "http://127.0.0.1:9/rdap/"))
            .Where(s => s.Key != "ReferenceData:Directory")
            .ToDictionary(s => "Notifier__" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

        var (code, stdout, stderr) = await Notifier.Tests.Hosting.NotifierProcess.RunAsync(["contacts", "192.0.2.14", "--json"], environment, workingDirectory);

        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var addresses = doc.RootElement.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("address").GetString()).ToList();
        // The shipped list knows no "suffix.notifier-test": with it the registrable domain would be suffix.notifier-test.
        Assert.Contains("abuse@desk.suffix.notifier-test", addresses);
        Assert.Contains(fixture.Rdap.BootstrapUrl, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("shipped IANA bootstrap", stdout, StringComparison.Ordinal);
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
        // Loading the reference data (at build, as the service's start does) reads the options first.
        await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            using var host = fixture.Build(null, (key, value));
            await host.StartAsync();
        });
    }
}
