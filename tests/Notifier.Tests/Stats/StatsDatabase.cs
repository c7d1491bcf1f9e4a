using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Probing;
using Notifier.Stats;

namespace Notifier.Tests.Stats;

/// <summary>
/// A migrated SQLite file (the real schema and its DateTimeOffset storage) seeded with cases at known times:
/// opened and confirmed through CaseWorkflow, notices sent through CaseWorkflow.NoticeSent, and the state changes
/// of the retest life (Resolved, Reopened) as the event rows CaseWorkflow.Move writes.
/// </summary>
internal sealed class StatsDatabase : IAsyncDisposable
{
    private readonly string _dir;
    private long _uid;

    private StatsDatabase(string dir, NotifierDb db)
    {
        _dir = dir;
        Db = db;
    }

    public NotifierDb Db { get; }

    public static async Task<StatsDatabase> CreateAsync()
    {
        var dir = Directory.CreateTempSubdirectory("notifier-stats-").FullName;
        var options = new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite($"Data Source={Path.Combine(dir, "notifier.db")}").Options;
        var db = new SqliteNotifierDb(options);
        await db.Database.MigrateAsync();
        return new StatsDatabase(dir, db);
    }

    public Task<StatsDto> StatsAsync(string from, string to, int top = StatsRange.DefaultTop)
    {
        var range = StatsRange.TryRead(from, to, top.ToString(System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UnixEpoch, out var errors);
        Assert.Empty(errors);
        return CaseStats.ComputeAsync(Db, range!, CancellationToken.None);
    }

    public async Task<Case> OpenAsync(string address, DateTimeOffset at, string? network = null)
    {
        var c = CaseWorkflow.Open(address, 25, $"{address}:25", "test", null, "test", at);
        c.Network = network;
        Db.Cases.Add(c);
        await Db.SaveChangesAsync();
        return c;
    }

    /// <summary>The relay proven at <paramref name="at"/> by a finished initial probe that saw <paramref name="mta"/>.</summary>
    public async Task<Probe> ConfirmAsync(Case c, DateTimeOffset at, string? mta = "Postfix")
    {
        var p = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, at);
        p.Status = ProbeStatus.Done;
        p.StartedAt = at;
        p.FinishedAt = at;
        p.Mta = mta;
        CaseWorkflow.Confirm(c, p, ProbeVerdict.Confirmed, "the canary arrived", at);
        await Db.SaveChangesAsync();
        return p;
    }

    /// <summary>A first notice planned and sent at <paramref name="at"/> (the case moves to Monitoring).</summary>
    public async Task<Notice> NotifyAsync(Case c, DateTimeOffset at)
    {
        var n = CaseWorkflow.PlanNotice(c, "FirstNotice", $"abuse@{c.Id}.example", null, "test", null, at, "test", "test", at);
        Db.Notices.Add(n);
        await Db.SaveChangesAsync();
        CaseWorkflow.NoticeSent(c, n, "outbox", "test", new RetestOptions(), at);
        await Db.SaveChangesAsync();
        return n;
    }

    /// <summary>The timeline row of a change to <paramref name="state"/>, as CaseWorkflow.Move writes it.</summary>
    public async Task MoveAsync(Case c, string state, DateTimeOffset at)
    {
        var e = CaseWorkflow.Event(at, CaseWorkflow.System, CaseEventKind.StateChanged, $"{c.State} → {state}: test", null);
        e.ToState = state;
        c.Events.Add(e);
        await Db.SaveChangesAsync();
    }

    /// <summary>Inbound mail of <paramref name="kind"/> (a person's reply, an auto-reply …) threaded to the case.</summary>
    public async Task MailAsync(Case c, DateTimeOffset at, string kind = InboundClass.Reply)
    {
        var uid = ++_uid;
        Db.InboundMessages.Add(new InboundMessage
        {
            Folder = "INBOX",
            UidValidity = 1,
            Uid = uid,
            Sha256 = uid.ToString("x64", System.Globalization.CultureInfo.InvariantCulture),
            Headers = "Subject: re",
            Raw = [],
            Class = kind,
            CaseId = c.Id,
            FetchedAt = at,
            ProcessedAt = at,
        });
        await Db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
