using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;
using Npgsql;

namespace Notifier.Tests.Cases;

/// <summary>
/// Kill -9 the real service after the lab smarthost took a notice but before the job recorded it: the restarted
/// service marks the notice interrupted and does not send it again, so the recipient has exactly one message. On SQLite
/// and on a real PostgreSQL (a fresh database, Hangfire's storage in it too).
/// </summary>
[Collection(LabBesideCollection.Name)]
public sealed class NoticeRestartTests(Notifier.Tests.Lab.Lab lab) : IAsyncLifetime
{
    private TestDatabase? _database;

    private readonly string _dir = Directory.CreateTempSubdirectory("notifier-notice-restart-").FullName;
    private readonly List<Process> _processes = [];
    private readonly string _deskDomain = $"r{Guid.NewGuid():N}"[..13] + ".test";

    private string ConnectionString => _database?.ConnectionString ?? DataExtensions.SqliteConnectionString($"Data Source={Path.Combine(_dir, "notifier.db")}");

    private Dictionary<string, string> Environment(int smarthostPort)
    {
        var env = CommonEnvironment();
        foreach (var (k, v) in _database?.Settings ?? new Dictionary<string, string?>()) env[RunningNotifier.EnvironmentVariable(k)] = v!;
        env["Notifier__Notices__Smarthost__Port"] = smarthostPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return env;
    }

    private Dictionary<string, string> CommonEnvironment() => new()
    {
        ["Notifier__Database__ConnectionString"] = $"Data Source={Path.Combine(_dir, "notifier.db")}",
        ["Notifier__Probing__TokenKeyFile"] = Path.Combine(_dir, "keys", "probe-token.key"),
        ["Notifier__DataProtection__KeysDirectory"] = Path.Combine(_dir, "keys"),
        ["Notifier__Probing__CanaryDomain"] = "canary.test",
        ["Notifier__Jobs__DispatchCron"] = "*/1 * * * * *",
        ["Notifier__Jobs__NodeName"] = "notice-restart-node",
        ["Notifier__Jobs__LeaseMargin"] = "00:00:01",
        // Long enough for a cold process to render, sign and hand the notice over before its lease runs out (5 s was
        // not on a loaded CI machine: the first process marked its own notice interrupted); the restarted process
        // still finds the lease run out well within the test's wait.
        ["Notifier__Notices__SendLease"] = "00:00:20",
        ["Notifier__Notices__DeskAddress"] = $"notices@{_deskDomain}",
        ["Notifier__Notices__Smarthost__Host"] = "127.0.0.1",
        ["Notifier__Notices__Smarthost__Security"] = "None",
        ["Notifier__Urls"] = "http://127.0.0.1:0",
    };

    private Process Start(int smarthostPort)
    {
        var log = Path.Combine(_dir, $"process-{_processes.Count}.log");
        var p = NotifierProcess.Start([], Environment(smarthostPort), _dir, line => { lock (_processes) File.AppendAllText(log, $"{DateTime.UtcNow:HH:mm:ss.fff} {line}\n"); });
        _processes.Add(p);
        return p;
    }

    private NotifierDb Db() => (NotifierDb?)_database?.Context() ?? new SqliteNotifierDb(new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite(ConnectionString).Options);

    /// <summary>
    /// Holds the database's write lock in an open transaction, so the job's commit waits for it: SQLite's
    /// <c>BEGIN IMMEDIATE</c> (one writer per database), PostgreSQL's <c>LOCK TABLE … IN EXCLUSIVE MODE</c> on the notices
    /// (writers wait, readers go on, as with SQLite). Disposed: rolled back.
    /// </summary>
    private async Task<WriteLock> WriteLockAsync()
    {
        System.Data.Common.DbConnection connection = _database is null ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        // Microsoft.Data.Sqlite begins IMMEDIATE unless asked for deferred.
        var tx = await connection.BeginTransactionAsync();
        if (_database is not null)
        {
            await using var lockTable = connection.CreateCommand();
            lockTable.Transaction = tx;
            lockTable.CommandText = """LOCK TABLE "Notices" IN EXCLUSIVE MODE""";
            await lockTable.ExecuteNonQueryAsync();
        }
        return new WriteLock(connection, tx);
    }

    private sealed record WriteLock(System.Data.Common.DbConnection Connection, System.Data.Common.DbTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
    }

    private async Task<Notice> NoticeAsync(long id)
    {
        await using var db = Db();
        return await db.Notices.AsNoTracking().SingleAsync(n => n.Id == id);
    }

    private async Task<Notice> UntilAsync(long id, Func<Notice, bool> done, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var n = await NoticeAsync(id);
            if (done(n)) return n;
            Assert.True(DateTime.UtcNow < deadline, $"notice {id} is {n.State} after {within} ({string.Join("; ", _processes.Select((_, i) => Path.Combine(_dir, $"process-{i}.log")))})");
            await Task.Delay(200);
        }
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task KillNineBetweenHandOverAndCommit_ThenRestart_NoticeIsInterruptedAndDeliveredOnce(string provider)
    {
        if (provider == DatabaseProvider.Postgres) _database = await TestPostgres.CreateDatabaseAsync();
        var recipient = $"owner-{Guid.NewGuid():N}@owner.test";
        long noticeId;
        await using (var db = Db())
        {
            await db.Database.MigrateAsync();
            var now = DateTimeOffset.UtcNow;
            var caseId = await NoticeRig.SeedCaseAsync(db, now, "192.0.2.99", CaseState.Confirmed, recipient);
            var c = await db.Cases.SingleAsync(x => x.Id == caseId);
            var contact = await db.CaseContacts.SingleAsync(x => x.CaseId == caseId);
            var n = CaseWorkflow.PlanNotice(c, nameof(Notifier.Notices.NoticeKind.FirstNotice), recipient, contact.Id, null, null, now, "operator:test", "restart test", now);
            db.Notices.Add(n);
            await db.SaveChangesAsync();
            CaseWorkflow.ApproveNotice(c, n, "operator:test", now);
            await db.SaveChangesAsync();
            noticeId = n.Id;
        }

        await using var proxy = new HoldingSmtpProxy(lab.EndPoint("SMARTHOST"));
        var first = Start(proxy.Port);
        await proxy.Held.WaitAsync(TimeSpan.FromSeconds(90));
        // Postfix has queued the notice; the job waits for the answer the proxy holds, so the row is still sending.
        var sending = await NoticeAsync(noticeId);
        Assert.Equal(NoticeState.Sending, sending.State);
        var notices = new NoticeLab(lab, new Dictionary<string, string?>());
        try
        {
            await using (var writeLock = await WriteLockAsync())
            {
                // The answer reaches the job now; its commit waits for our lock, and the process dies waiting.
                proxy.Release();
                var delivered = await notices.OwnerMessageAsync(sending.MessageId!);
                Assert.Equal(recipient, Assert.Single(delivered.To.Mailboxes).Address);
                first.Kill();
                await first.WaitForExitAsync();
                await writeLock.Transaction.RollbackAsync();
            }
            Assert.Equal(NoticeState.Sending, (await NoticeAsync(noticeId)).State);

            Start(proxy.Port);
            var after = await UntilAsync(noticeId, n => n.State != NoticeState.Sending, TimeSpan.FromSeconds(90));

            Assert.Equal(NoticeState.Interrupted, after.State);
            Assert.Equal(1, after.Attempts);
            // Some dispatcher rounds later still one message: nothing was sent again.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Single(await notices.OwnerMessagesAsync(sending.MessageId!));
            Assert.Equal(NoticeState.Interrupted, (await NoticeAsync(noticeId)).State);
        }
        finally
        {
            notices.Dispose();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var p in _processes)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); p.WaitForExit(5000); }
            catch (InvalidOperationException) { }
            p.Dispose();
        }
        SqliteConnection.ClearAllPools();
        if (_database is not null) await _database.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
