using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;
using Notifier.Tests.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>
/// What a reply does to the escalation rule on each provider: the workflow keeps the latest reply's time on the case
/// (<see cref="Case.LastReplyAt"/>), and the ignored notices the retest decision and the queue's escalations due count
/// (<see cref="IgnoredNotices"/>) are the ones sent after it; a reply at the moment a notice went out answers it.
/// </summary>
public sealed class IgnoredNoticesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Reply_SetsLastReplyAtAndResetsTheIgnoredNotices_WhenRecordedByTheInboxOrTheOwnerPage(string provider)
    {
        await using var database = await MigratedDatabase.CreateAsync(provider, "notifier-ignored-");
        var retests = new RetestOptions();
        int id;
        await using (var db = database.Context())
        {
            var c = CaseWorkflow.Open("192.0.2.40", 25, "192.0.2.40:25", "test", null, "test", T0);
            c.State = CaseState.Monitoring;
            db.Cases.Add(c);
            await db.SaveChangesAsync();
            id = c.Id;
            // Three notices to the direct contact (the escalation threshold, Retests:EscalateAfterIgnoredNotices), and
            // what is never counted: the escalation itself, a notice not sent.
            db.Notices.AddRange(
                Sent(c, nameof(NoticeKind.FirstNotice), T0 + Day),
                Sent(c, nameof(NoticeKind.StillOpen), T0 + 3 * Day),
                Sent(c, nameof(NoticeKind.StillOpen), T0 + 8 * Day),
                Sent(c, nameof(NoticeKind.Escalation), T0 + 9 * Day),
                new Notice { CaseId = id, Recipient = "abuse@example.net", Kind = nameof(NoticeKind.StillOpen), State = NoticeState.AwaitingApproval, CaseStateAtPlan = c.State, CreatedAt = T0 });
            await db.SaveChangesAsync();
        }
        var before = await ReadAsync(database, id, retests);

        // The inbox records a reply at the very moment the second notice went out: it answers that one and the first.
        await RecordAsync(database, id, c => CaseWorkflow.MailReceived(c, CaseEventKind.Reply, "Reply from abuse@example.net (other): \"Re: relay\"", true, T0 + 3 * Day));
        var replied = await ReadAsync(database, id, retests);
        // A note on the owner page is a reply too; one recorded late with an older time moves nothing back.
        await RecordAsync(database, id, c => CaseWorkflow.OwnerNoteReceived(c, "abuse@example.net", "Note from abuse@example.net on the owner page (other): \"looking\"", T0 + 10 * Day));
        await RecordAsync(database, id, c => CaseWorkflow.MailReceived(c, CaseEventKind.Reply, "Reply from abuse@example.net (other): \"late\"", true, T0 + 2 * Day));
        var noted = await ReadAsync(database, id, retests);
        // A bounce is not a reply.
        await RecordAsync(database, id, c => CaseWorkflow.MailReceived(c, CaseEventKind.Bounce, "Bounce for abuse@example.net", false, T0 + 11 * Day));
        var bounced = await ReadAsync(database, id, retests);

        Assert.Equal((null, 3, 1, true), before);
        Assert.Equal((T0 + 3 * Day, 1, 0, false), replied);
        Assert.Equal((T0 + 10 * Day, 0, 0, false), noted);
        Assert.Equal(noted, bounced);
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task Migration_FillsLastReplyAtFromTheTimeline_ForCasesRepliedToBeforeTheColumn(string provider)
    {
        await using var database = await MigratedDatabase.CreateAsync(provider, "notifier-ignored-", "CaseSearchIndexes");
        await using (var db = database.Context())
        {
            // Rows as the service wrote them before the column, in SQL (the model has the column now).
            await InsertCaseAsync(db, 1, "192.0.2.41");
            await InsertCaseAsync(db, 2, "192.0.2.42");
            await InsertEventAsync(db, 1, CaseEventKind.Reply, T0 + Day);
            await InsertEventAsync(db, 1, CaseEventKind.Reply, T0 + 5 * Day);
            await InsertEventAsync(db, 1, CaseEventKind.Bounce, T0 + 6 * Day);
            await InsertEventAsync(db, 2, CaseEventKind.Bounce, T0 + 6 * Day);
        }

        await database.MigrateAsync();

        await using var after = database.Context();
        var last = await after.Cases.AsNoTracking().OrderBy(c => c.Id).Select(c => c.LastReplyAt).ToListAsync();
        Assert.Equal([T0 + 5 * Day, null], last);
    }

    private static Notice Sent(Case c, string kind, DateTimeOffset at) => new()
    {
        CaseId = c.Id,
        Recipient = kind == nameof(NoticeKind.Escalation) ? "abuse@upstream.example" : "abuse@example.net",
        Kind = kind,
        State = NoticeState.Sent,
        CaseStateAtPlan = c.State,
        CreatedAt = at,
        SentAt = at,
    };

    private static async Task RecordAsync(MigratedDatabase database, int id, Action<Case> record)
    {
        await using var db = database.Context();
        record(await db.Cases.SingleAsync(c => c.Id == id));
        await db.SaveChangesAsync();
    }

    /// <summary>The case's LastReplyAt, its ignored notices, the queue's escalations due and whether the case is among them.</summary>
    private static async Task<(DateTimeOffset? LastReplyAt, int Ignored, int Escalations, bool Listed)> ReadAsync(MigratedDatabase database, int id, RetestOptions retests)
    {
        await using var db = database.Context();
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == id);
        var ignored = await new IgnoredNotices(db).CountAsync(id, CancellationToken.None);
        var queue = await CaseQueueBoard.LoadAsync(db, retests, T0 + 30 * Day, CancellationToken.None);
        var escalations = queue.Single(s => s.Section == CaseQueueSection.Escalations);
        return (c.LastReplyAt, ignored, escalations.Count, escalations.Rows.Any(r => r.Case.Id == id));
    }

    private static Task<int> InsertCaseAsync(NotifierDb db, int id, string address)
    {
        var at = Stored(db, T0);
        var attention = false;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO "Cases" ("Id", "Address", "Port", "RelayKey", "State", "CreatedAt", "UpdatedAt", "ProbeAttempts", "NeedsAttention", "Version",
                "InconclusiveInARow", "ReopenCount", "RetestsDone", "UnreachableReprobes")
            VALUES ({id}, {address}, 25, {address + ":25"}, {CaseState.Monitoring}, {at}, {at}, 0, {attention}, 0, 0, 0, 0, 0)
            """);
    }

    private static Task<int> InsertEventAsync(NotifierDb db, int caseId, string kind, DateTimeOffset at) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO "CaseEvents" ("CaseId", "At", "Actor", "Kind", "Summary") VALUES ({caseId}, {Stored(db, at)}, {CaseWorkflow.Inbox}, {kind}, {kind})
            """);

    /// <summary>A time as the provider stores it: SQLite as the model's long (SqliteNotifierDb), the servers natively.</summary>
    private static object Stored(NotifierDb db, DateTimeOffset at) =>
        db.Database.IsSqlite() ? new DateTimeOffsetToBinaryConverter().ConvertToProvider(at)! : at;
}
