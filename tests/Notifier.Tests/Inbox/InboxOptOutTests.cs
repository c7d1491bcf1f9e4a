using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Inbox;

namespace Notifier.Tests.Inbox;

/// <summary>
/// An opt-out reply suppresses its sender for the open cases at once, as a suppression added through the API does:
/// the sender's entry on a case's contact list is skipped from the moment the reply is processed.
/// </summary>
public sealed class InboxOptOutTests : IAsyncLifetime
{
    private InboxHarness _h = null!;

    public async Task InitializeAsync() => _h = await InboxHarness.CreateAsync(null);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Process_SuppressesSenderOnOpenCaseContacts_WhenReplyOptsOut()
    {
        // reply-opt-out.eml: from owner@small-biz.example about [NR-000001] (192.0.2.10).
        const string sender = "owner@small-biz.example";
        await using (var scope = _h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var now = DateTimeOffset.UtcNow;
            var c = CaseWorkflow.Open("192.0.2.10", 25, "192.0.2.10:25", "test", null, "test", now);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
            db.CaseContactLookups.Add(new CaseContactLookup { CaseId = c.Id, Ip = c.Address });
            db.ManualContactRules.Add(new ManualContactRule { Address = sender, Action = "add", Scope = "case", CaseId = c.Id, AddedBy = "operator:test", AddedAt = now });
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<CaseContacts>().RerankAsync(c.Id, now, CancellationToken.None);
            await db.SaveChangesAsync();
        }
        var raw = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Inbox", "Fixtures", "reply-opt-out.eml"));

        await using (var scope = _h.Scope())
            await scope.ServiceProvider.GetRequiredService<InboxProcessor>().ProcessAsync(raw, "INBOX", 1, 1, CancellationToken.None);

        await using var check = _h.Scope();
        var contact = await check.ServiceProvider.GetRequiredService<NotifierDb>().CaseContacts.AsNoTracking().SingleAsync(x => x.Address == sender);
        Assert.Equal("suppressed", contact.Status);
    }
}
