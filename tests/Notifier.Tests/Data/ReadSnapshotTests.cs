using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Data;

/// <summary>
/// <see cref="ReadSnapshot"/> on each provider: a page's reads see one committed state while a job commits beside
/// them (the case page once showed a case still "looking up contacts" next to the contacts that lookup had found).
/// </summary>
public sealed class ReadSnapshotTests
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Reads_SeeTheStateFromBeforeACommit_UntilTheSnapshotEnds(string provider)
    {
        await using var database = await MigratedDatabase.CreateAsync(provider, "notifier-snapshot-");
        int id;
        await using (var setup = database.Context())
        {
            var now = DateTimeOffset.UtcNow;
            var c = CaseWorkflow.Open("192.0.2.7", 25, "192.0.2.7:25", "test", null, "test", now);
            c.NextAction = CaseAction.LookupContacts;
            setup.Cases.Add(c);
            await setup.SaveChangesAsync();
            id = c.Id;
        }
        await using var page = database.Context();
        await using var job = database.Context();

        string? before, during;
        int lookupsDuring;
        await using (await ReadSnapshot.BeginAsync(page, CancellationToken.None))
        {
            before = await page.Cases.AsNoTracking().Where(c => c.Id == id).Select(c => c.NextAction).SingleAsync();
            // The job records its lookup and clears the action, committed while the page is half read: the writer
            // is not blocked by the snapshot (SQLite's deferred BEGIN takes no write lock).
            var c = await job.Cases.SingleAsync(x => x.Id == id);
            c.NextAction = null;
            job.CaseContactLookups.Add(new CaseContactLookup { CaseId = id, Ip = "192.0.2.7" });
            await job.SaveChangesAsync();
            during = await page.Cases.AsNoTracking().Where(x => x.Id == id).Select(x => x.NextAction).SingleAsync();
            lookupsDuring = await page.CaseContactLookups.CountAsync(l => l.CaseId == id);
        }

        Assert.Equal(CaseAction.LookupContacts, before);
        Assert.Equal(CaseAction.LookupContacts, during);
        Assert.Equal(0, lookupsDuring);
        // Ended, the context reads the present and can write again (no transaction left behind on its connection).
        Assert.Null(await page.Cases.AsNoTracking().Where(c => c.Id == id).Select(c => c.NextAction).SingleAsync());
        Assert.Equal(1, await page.CaseContactLookups.CountAsync(l => l.CaseId == id));
        (await page.Cases.SingleAsync(c => c.Id == id)).HostName = "mx.example.net";
        await page.SaveChangesAsync();
    }
}
