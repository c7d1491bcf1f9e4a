using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Retention;
using Notifier.Tests.Pages;

namespace Notifier.Tests.Retention;

/// <summary>The retention run empties old raw mail that no open case holds, and touches nothing else.</summary>
public sealed class RetentionJobTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private static readonly byte[] Raw = "From: someone@example.net\r\nSubject: evidence\r\n\r\nbody\r\n"u8.ToArray();

    private static InboundMessage Inbound(int? caseId, DateTimeOffset fetchedAt) => new()
    {
        Folder = "INBOX",
        UidValidity = 1,
        Uid = Random.Shared.NextInt64(1, long.MaxValue),
        Sha256 = Guid.NewGuid().ToString("N"),
        FetchedAt = fetchedAt,
        ProcessedAt = fetchedAt,
        Headers = "From: someone@example.net",
        Raw = Raw,
        Class = InboundClass.Reply,
        Detail = "reply",
        CaseId = caseId,
    };

    private static Sample SampleOf(Case c, DateTimeOffset receivedAt) => new() { CaseId = c.Id, ReceivedAt = receivedAt, Raw = Raw };

    [Fact]
    public async Task RunAsync_EmptiesOnlyOldRawMailOfClosedOrNoCases_WhenRetentionIsDue()
    {
        var now = DateTimeOffset.UtcNow;
        var old = now.AddDays(-400);
        var recent = now.AddDays(-10);
        InboundMessage openOld = null!, closedOld = null!, closedRecent = null!, strayOld = null!, strayRecent = null!;
        Sample openSample = null!, closedSample = null!, closedRecentSample = null!;
        await CaseSeed.AddAsync(factory, rows: (db, c) =>
        {
            db.InboundMessages.Add(openOld = Inbound(c.Id, old));
            db.Samples.Add(openSample = SampleOf(c, old));
        });
        await CaseSeed.AddAsync(factory, shape: c => CaseWorkflow.Close(c, "test", CloseReason.FalsePositive, null, now), rows: (db, c) =>
        {
            db.InboundMessages.AddRange(closedOld = Inbound(c.Id, old), closedRecent = Inbound(c.Id, recent));
            db.Samples.AddRange(closedSample = SampleOf(c, old), closedRecentSample = SampleOf(c, recent));
        });
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            db.InboundMessages.AddRange(strayOld = Inbound(null, old), strayRecent = Inbound(null, recent));
            await db.SaveChangesAsync();
        }

        (int InboundMessages, int Samples) removed;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            removed = await scope.ServiceProvider.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);
        }

        await using var read = factory.Services.CreateAsyncScope();
        var rows = await read.ServiceProvider.GetRequiredService<NotifierDb>().InboundMessages.AsNoTracking()
            .Where(m => new[] { openOld.Id, closedOld.Id, closedRecent.Id, strayOld.Id, strayRecent.Id }.Contains(m.Id)).ToDictionaryAsync(m => m.Id);
        var samples = await read.ServiceProvider.GetRequiredService<NotifierDb>().Samples.AsNoTracking()
            .Where(s => new[] { openSample.Id, closedSample.Id, closedRecentSample.Id }.Contains(s.Id)).ToDictionaryAsync(s => s.Id);
        // Other tests of the class share the database: at least these two and this one went.
        Assert.True(removed.InboundMessages >= 2 && removed.Samples >= 1, $"removed {removed}");
        Assert.Empty(rows[closedOld.Id].Raw);
        Assert.Equal("", rows[closedOld.Id].Headers);
        Assert.Contains(RetentionJob.RemovedNote, rows[closedOld.Id].Detail, StringComparison.Ordinal);
        Assert.Empty(rows[strayOld.Id].Raw);
        Assert.Empty(samples[closedSample.Id].Raw);
        // Kept: the open case's evidence however old, and everything recent.
        Assert.Equal(Raw, rows[openOld.Id].Raw);
        Assert.Equal(Raw, rows[closedRecent.Id].Raw);
        Assert.Equal(Raw, rows[strayRecent.Id].Raw);
        Assert.Equal("reply", rows[strayRecent.Id].Detail);
        Assert.Equal(Raw, samples[openSample.Id].Raw);
        Assert.Equal(Raw, samples[closedRecentSample.Id].Raw);
        // The rows themselves stay: the timeline and the inbox list still show them.
        Assert.Equal(5, rows.Count);
        Assert.Equal(3, samples.Count);
    }

    [Fact]
    public async Task RunAsync_KeepsEverything_WhenTheDaysAreZero()
    {
        using var keepAll = new Notifier.Tests.Hosting.NotifierFactory(new Dictionary<string, string?>
        {
            ["Jobs:RunServer"] = "false",
            ["Retention:InboundMessageDays"] = "0",
            ["Retention:SampleDays"] = "0",
        });
        long id;
        await using (var scope = keepAll.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var m = Inbound(null, DateTimeOffset.UtcNow.AddYears(-30));
            db.InboundMessages.Add(m);
            await db.SaveChangesAsync();
            id = m.Id;
        }

        await using var run = keepAll.Services.CreateAsyncScope();
        var removed = await run.ServiceProvider.GetRequiredService<RetentionJob>().RunAsync(CancellationToken.None);

        Assert.Equal((0, 0), removed);
        Assert.Equal(Raw, (await run.ServiceProvider.GetRequiredService<NotifierDb>().InboundMessages.AsNoTracking().SingleAsync(m => m.Id == id)).Raw);
    }
}
