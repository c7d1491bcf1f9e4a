using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Tests.Inbox;

namespace Notifier.Tests.Cases;

/// <summary>
/// The one implementation of "save a suppression, then re-rank the cases it touches" that the contacts API, an
/// opt-out reply and a reply's intent change share: open cases see the change at once, closed ones keep their
/// record, and inside a caller's transaction nothing is kept when the caller rolls back.
/// </summary>
public sealed class ContactPolicyChangeTests : IAsyncLifetime
{
    private const string Contact = "abuse@policy.example";
    private InboxHarness _h = null!;

    public async Task InitializeAsync() => _h = await InboxHarness.CreateAsync(null);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>A case whose contact list holds <see cref="Contact"/>, added by a case rule and ranked.</summary>
    private async Task<int> CaseWithContactAsync(string ip, bool closed = false)
    {
        await using var scope = _h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var now = DateTimeOffset.UtcNow;
        var c = CaseWorkflow.Open(ip, 25, $"{ip}:25", "test", null, "test", now);
        db.Cases.Add(c);
        await db.SaveChangesAsync();
        db.CaseContactLookups.Add(new CaseContactLookup { CaseId = c.Id, Ip = ip });
        db.ManualContactRules.Add(new ManualContactRule { Address = Contact, Action = "add", Scope = "case", CaseId = c.Id, AddedBy = "operator:test", AddedAt = now });
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<CaseContacts>().RerankAsync(c.Id, now, CancellationToken.None);
        if (closed) CaseWorkflow.Close(c, "operator:test", CloseReason.Other, "test", now);
        await db.SaveChangesAsync();
        return c.Id;
    }

    private async Task<string> StatusAsync(int caseId)
    {
        await using var scope = _h.Scope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        return await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == caseId && x.Address == Contact).Select(x => x.Status).SingleAsync();
    }

    private static Suppression NewSuppression() =>
        new() { Value = "policy.example", Reason = "asked us to stop", AddedBy = "operator:test", AddedAt = DateTimeOffset.UtcNow };

    [Fact]
    public async Task SuppressionChangedAsync_SuppressesContactOfOpenCasesOnly_WhenASuppressionIsAdded()
    {
        var open = await CaseWithContactAsync("192.0.2.31");
        var closed = await CaseWithContactAsync("192.0.2.32", closed: true);

        await using (var scope = _h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var s = NewSuppression();
            db.Suppressions.Add(s);
            await scope.ServiceProvider.GetRequiredService<ContactPolicyChange>().SuppressionChangedAsync(s.ToPolicy(), DateTimeOffset.UtcNow, CancellationToken.None);
        }

        Assert.Equal(("suppressed", "active"), (await StatusAsync(open), await StatusAsync(closed)));
    }

    [Fact]
    public async Task SuppressionChangedAsync_KeepsNothing_WhenTheCallersTransactionRollsBack()
    {
        var open = await CaseWithContactAsync("192.0.2.33");

        await using (var scope = _h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var s = NewSuppression();
            db.Suppressions.Add(s);
            await scope.ServiceProvider.GetRequiredService<ContactPolicyChange>().SuppressionChangedAsync(s.ToPolicy(), DateTimeOffset.UtcNow, CancellationToken.None);
            await tx.RollbackAsync();
        }

        await using var check = _h.Scope();
        Assert.False(await check.ServiceProvider.GetRequiredService<NotifierDb>().Suppressions.AnyAsync());
        Assert.Equal("active", await StatusAsync(open));
    }
}
