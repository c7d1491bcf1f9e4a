using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Tests.Contacts;

namespace Notifier.Tests.Cases;

/// <summary>
/// ContactLookupJob against a real migrated SQLite file and the loopback DNS/RDAP servers. Without policy,
/// 192.0.2.7 ranks: abuse@customer.example.co.uk (RDAP /25), abuse@lir.example.net (RDAP /24),
/// security@example.co.uk (abuse.net), abuse@ and postmaster@example.co.uk (RFC 2142), dns-admin@example.co.uk and
/// hostmaster@lir.example.net (SOA).
/// </summary>
[Collection(ContactsServiceCollection.Name)]
public class ContactLookupJobTests(ContactsServiceFixture fixture)
{
    private const string Ip = "192.0.2.7";

    /// <summary>Policy rows to insert before the lookup, as "kind:value[:scope]" (scope for rules: case, domain=…, network=…).</summary>
    public static TheoryData<string, string[], string, string[]> Policies => new()
    {
        { "no policy", [], "abuse@customer.example.co.uk", [] },
        { "bounce fails over to the next", ["bounce:abuse@customer.example.co.uk"], "abuse@lir.example.net", ["abuse@customer.example.co.uk=bounced"] },
        { "suppressed address", ["suppress:abuse@customer.example.co.uk"], "abuse@lir.example.net", ["abuse@customer.example.co.uk=suppressed"] },
        {
            "suppressed domain covers subdomains", ["suppress:example.co.uk"], "abuse@lir.example.net",
            ["abuse@customer.example.co.uk=suppressed", "security@example.co.uk=suppressed", "abuse@example.co.uk=suppressed", "dns-admin@example.co.uk=suppressed"]
        },
        {
            "bounce and a suppressed domain", ["bounce:abuse@customer.example.co.uk", "suppress:lir.example.net"], "security@example.co.uk",
            ["abuse@customer.example.co.uk=bounced", "abuse@lir.example.net=suppressed", "hostmaster@lir.example.net=suppressed"]
        },
        { "manual prefer for the case", ["prefer:ops@example.org:case"], "ops@example.org", [] },
        { "manual disable for the network", ["disable:abuse@customer.example.co.uk:network=192.0.2.0/24"], "abuse@lir.example.net", ["abuse@customer.example.co.uk=operator-disabled"] },
        { "manual prefer for the domain", ["prefer:abuse@example.co.uk:domain=example.co.uk"], "abuse@example.co.uk", [] },
        { "manual rule of another network does not apply", ["prefer:ops@example.org:network=198.51.100.0/24"], "abuse@customer.example.co.uk", [] },
        { "suppression beats a manual prefer", ["prefer:ops@example.org:case", "suppress:ops@example.org"], "abuse@customer.example.co.uk", ["ops@example.org=suppressed"] },
        { "every candidate skipped", ["suppress:example.co.uk", "suppress:lir.example.net"], "", [] },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task RunAsync_ChoosesByPolicy_WhenPolicyRowsExist(string name, string[] policy, string chosen, string[] statuses)
    {
        await using var host = await fixture.DataHostAsync();
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(host.Services, Ip, 25);
        await host.WithDbAsync(db => AddPolicyAsync(db, caseId, policy));

        await host.RunLookupAsync(caseId);

        var rows = await host.ContactsAsync(caseId);
        var active = rows.FirstOrDefault(r => r.Status == "active" && r.Rank is not null);
        Assert.True((active?.Address ?? "") == chosen, $"{name}: chose {active?.Address}; {string.Join(" | ", rows.Select(r => $"{r.Rank} {r.Address} {r.Status}"))}");
        foreach (var s in statuses)
        {
            var (address, status) = (s.Split('=')[0], s.Split('=')[1]);
            var row = rows.Single(r => r.Address == address);
            Assert.Equal(status, row.Status);
            Assert.False(string.IsNullOrEmpty(row.StatusReason), $"{name}: {address} is {status} without a reason");
        }
        var (c, lookup, events) = await host.WithDbAsync(async db => (
            await db.Cases.SingleAsync(x => x.Id == caseId),
            await db.CaseContactLookups.SingleAsync(x => x.CaseId == caseId),
            await db.CaseEvents.Where(e => e.CaseId == caseId && (e.Kind == CaseEventKind.ContactsFound || e.Kind == CaseEventKind.ContactsNotFound)).ToListAsync()));
        Assert.Null(c.NextAction);
        Assert.Equal(chosen == "" ? null : chosen, lookup.Chosen);
        var summary = Assert.Single(events).Summary;
        Assert.StartsWith(chosen == "" ? "No usable contact" : $"Contacts found: chosen {chosen}", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RecordsProvenanceAndTimes_WhenCaseIsConfirmed()
    {
        await using var host = await fixture.DataHostAsync();
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(host.Services, Ip, 25);
        await host.RunLookupAsync(caseId);

        var rows = await host.ContactsAsync(caseId);
        Assert.Equal(
            ["abuse@customer.example.co.uk", "abuse@lir.example.net", "security@example.co.uk", "abuse@example.co.uk",
             "postmaster@example.co.uk", "dns-admin@example.co.uk", "hostmaster@lir.example.net"],
            rows.Select(r => r.Address));
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], rows.Select(r => r.Rank!.Value));
        var first = rows[0];
        Assert.Equal(("rdap", "rdap-abuse", "high", 25), (first.Source, first.Tier, first.Confidence, first.NetworkPrefixLength!.Value));
        Assert.Contains("RDAP", first.EvidenceJson, StringComparison.Ordinal);
        Assert.Contains("\"query\"", first.EvidenceJson, StringComparison.Ordinal);
        Assert.Equal(first.FirstSeenAt, first.LastSeenAt);
        var summary = await host.WithDbAsync(db => db.CaseEvents.Where(e => e.CaseId == caseId && e.Kind == CaseEventKind.ContactsFound).Select(e => e.Summary).SingleAsync());
        Assert.StartsWith("Contacts found: chosen abuse@customer.example.co.uk (RDAP abuse for 192.0.2.0/25", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prefer", "ops@example.org", "ops@example.org")]
    [InlineData("disable", "abuse@customer.example.co.uk", "abuse@lir.example.net")]
    public async Task RunAsync_KeepsManualChoiceAndFirstSeen_WhenLookedUpAgain(string action, string address, string chosen)
    {
        await using var host = await fixture.DataHostAsync();
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(host.Services, Ip, 25);
        await host.RunLookupAsync(caseId);
        var before = (await host.ContactsAsync(caseId)).ToDictionary(r => r.Address);
        await host.WithDbAsync(db => AddPolicyAsync(db, caseId, [$"{action}:{address}:case"]));
        await Task.Delay(20);

        await host.RunLookupAsync(caseId);
        await host.RunLookupAsync(caseId);

        var after = await host.ContactsAsync(caseId);
        Assert.Equal(chosen, after.First(r => r.Status == "active").Address);
        var rdap = after.Single(r => r.Address == "abuse@lir.example.net");
        Assert.Equal(before[rdap.Address].FirstSeenAt, rdap.FirstSeenAt);
        Assert.True(rdap.LastSeenAt > before[rdap.Address].LastSeenAt);
        var events = await host.WithDbAsync(db => db.CaseEvents.CountAsync(e => e.CaseId == caseId && e.Kind == CaseEventKind.ContactsFound));
        Assert.Equal(3, events);
    }

    [Fact]
    public async Task RerankAsync_FailsOverWithoutLookup_WhenBounceArrivesLater()
    {
        await using var host = await fixture.DataHostAsync();
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(host.Services, Ip, 25);
        await host.RunLookupAsync(caseId);
        var queries = fixture.Servers.Dns.QueryCount;

        var ranked = await host.WithDbAsync(async db =>
        {
            db.ContactBounces.Add(new ContactBounce { Address = "abuse@customer.example.co.uk", At = DateTimeOffset.UtcNow, Diagnostic = "5.1.1 user unknown", CaseId = caseId });
            await db.SaveChangesAsync();
            var r = await new CaseContacts(db).RerankAsync(caseId, DateTimeOffset.UtcNow, CancellationToken.None);
            await db.SaveChangesAsync();
            return r;
        });

        Assert.Equal("abuse@lir.example.net", ranked?.Chosen?.Address);
        Assert.Equal(queries, fixture.Servers.Dns.QueryCount);
        var rows = await host.ContactsAsync(caseId);
        Assert.Equal("bounced", rows.Single(r => r.Address == "abuse@customer.example.co.uk").Status);
        Assert.Contains("5.1.1", rows.Single(r => r.Address == "abuse@customer.example.co.uk").StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RecordsReasons_WhenNothingIsFound()
    {
        // 198.18.0.50: the RDAP server answers 500 and there is no PTR.
        await using var host = await fixture.DataHostAsync();
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(host.Services, "198.18.0.50", 25);
        await host.RunLookupAsync(caseId);

        Assert.Empty(await host.ContactsAsync(caseId));
        var e = await host.WithDbAsync(db => db.CaseEvents.SingleAsync(x => x.CaseId == caseId && x.Kind == CaseEventKind.ContactsNotFound));
        Assert.StartsWith("No contact found: ", e.Summary, StringComparison.Ordinal);
        Assert.Contains("500", e.Summary, StringComparison.Ordinal);
        Assert.Null(await host.WithDbAsync(db => db.Cases.Where(c => c.Id == caseId).Select(c => c.NextAction).SingleAsync()));
    }

    [Fact]
    public async Task RunAsync_AsksRdapOnce_WhenManyRelaysShareASlash24()
    {
        await using var host = await fixture.DataHostAsync();
        var hits = fixture.Servers.Rdap.Hits("/ripe/ip/198.19.");
        for (var i = 1; i <= 5; i++)
        {
            var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(host.Services, $"198.19.0.{i}", 25);
            await host.RunLookupAsync(caseId);
            Assert.NotEmpty(await host.ContactsAsync(caseId));
        }
        Assert.Equal(1, fixture.Servers.Rdap.Hits("/ripe/ip/198.19.") - hits);
    }

    [Theory]
    [InlineData("198.19.0.9", "abuse@bulk-hosting.example", "DE", null, "de")]
    [InlineData(Ip, "abuse@customer.example.co.uk", "GB", null, "en")]
    [InlineData("198.19.0.9", "abuse@bulk-hosting.example", "DE", "en", "en")]
    public async Task LanguageAsync_FollowsRdapCountry_UnlessManualRuleSetsOne(string ip, string address, string country, string? manual, string language)
    {
        await using var host = await fixture.DataHostAsync();
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(host.Services, ip, 25);
        if (manual is not null)
        {
            await host.WithDbAsync(async db =>
            {
                db.ManualContactRules.Add(new ManualContactRule
                {
                    Address = address,
                    Action = "prefer",
                    Scope = "case",
                    CaseId = caseId,
                    Language = manual,
                    AddedBy = "operator:test",
                    Reason = "writes English",
                    AddedAt = DateTimeOffset.UtcNow,
                });
                await db.SaveChangesAsync();
            });
        }

        await host.RunLookupAsync(caseId);

        var row = (await host.ContactsAsync(caseId)).Single(r => r.Address == address);
        Assert.Equal(country, row.Country);
        await using var scope = host.Services.CreateAsyncScope();
        var models = scope.ServiceProvider.GetRequiredService<NoticeModelFactory>();
        Assert.Equal(language, await models.LanguageAsync(caseId, address, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_DoesNothing_WhenCaseIsClosed()
    {
        await using var host = await fixture.DataHostAsync();
        var caseId = await ContactsServiceFixture.ConfirmedCaseAsync(host.Services, Ip, 25);
        await host.WithDbAsync(async db =>
        {
            CaseWorkflow.Close(await db.Cases.SingleAsync(c => c.Id == caseId), "test", CloseReason.Other, "test", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync();
        });
        await host.RunLookupAsync(caseId);
        Assert.Empty(await host.ContactsAsync(caseId));
    }

    private static async Task AddPolicyAsync(NotifierDb db, int caseId, string[] policy)
    {
        foreach (var p in policy)
        {
            var parts = p.Split(':', 3);
            switch (parts[0])
            {
                case "bounce":
                    db.ContactBounces.Add(new ContactBounce { Address = parts[1], At = DateTimeOffset.UtcNow, Diagnostic = "5.1.1 (550 user unknown)" });
                    break;
                case "suppress":
                    db.Suppressions.Add(new Suppression { Value = parts[1], Reason = "asked us to stop", AddedBy = "operator:test", AddedAt = DateTimeOffset.UtcNow });
                    break;
                default:
                    var scope = parts[2].Split('=');
                    db.ManualContactRules.Add(new ManualContactRule
                    {
                        Address = parts[1],
                        Action = parts[0],
                        Scope = scope[0],
                        CaseId = scope[0] == "case" ? caseId : null,
                        Domain = scope[0] == "domain" ? scope[1] : null,
                        Network = scope[0] == "network" ? scope[1] : null,
                        AddedBy = "operator:test",
                        Reason = "test",
                        AddedAt = DateTimeOffset.UtcNow,
                    });
                    break;
            }
        }
        await db.SaveChangesAsync();
    }
}
