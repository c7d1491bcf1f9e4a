using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Npgsql;

namespace Notifier.Tests.Cases;

/// <summary>
/// Two copies of the job of one queued notice (as on two nodes) claim it at the same moment on a real PostgreSQL, where
/// READ COMMITTED lets both read it queued before either writes (on SQLite BEGIN IMMEDIATE serialises them, see
/// <see cref="NoticeFlowTests.NoticeJob_SendsOnce_WhenTwoCopiesOfTheJobRun"/>). The test makes the race certain
/// rather than lucky: it holds a FOR SHARE lock on the notice's row, which lets both jobs read it but makes each wait at
/// its first write to it; once both wait it lets go. One claim wins, the other finds the notice no longer queued.
/// </summary>
public sealed class NoticeJobClaimTests
{
    [Fact]
    public async Task NoticeJob_SendsOnce_WhenTwoCopiesClaimTheNoticeAtOnceOnPostgres()
    {
        await using var rig = await NoticeRig.CreateAsync(DatabaseProvider.Postgres, ("Notices:RequireApproval", "false"));
        var caseId = await rig.CaseWithContactsAsync("192.0.2.52", CaseState.Confirmed, "abuse@isp.example");
        var n = await rig.PlanAsync(caseId);
        Assert.Equal(NoticeState.Queued, n!.State);
        var connectionString = await rig.DbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));

        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        Task[] jobs;
        await using (var tx = await holder.BeginTransactionAsync())
        {
            await using (var share = new NpgsqlCommand("""SELECT 1 FROM "Notices" WHERE "Id" = @id FOR SHARE""", holder, tx))
            {
                share.Parameters.AddWithValue("id", n.Id);
                await share.ExecuteNonQueryAsync();
            }
            jobs = [Task.Run(() => rig.RunJobAsync(n.Id)), Task.Run(() => rig.RunJobAsync(n.Id))];
            await AllWaitAsync(connectionString, jobs);
            await tx.RollbackAsync();
        }
        // Both awaited before anything is asserted: what the recipient got comes first (a losing copy that did send
        // may also fail when it records, on the case's concurrency token, but only after the second message went out).
        var failed = await Task.WhenAll(jobs.Select(async j =>
        {
            try { await j; return null; }
            catch (DbUpdateException e) { return e; }
        }));

        Assert.True(rig.Sender.Sent.Count == 1, $"the notice was handed over {rig.Sender.Sent.Count} times");
        Assert.All(failed, Assert.Null);
        var sent = Assert.Single(await rig.NoticesAsync(caseId));
        Assert.Equal((NoticeState.Sent, 1), (sent.State, sent.Attempts));
    }

    /// <summary>
    /// Two notices to one domain (two addresses, so not batched) with one unit of its daily budget left, claimed at the
    /// same moment by their jobs on two nodes: each would count the domain's sends without the other's (neither has
    /// committed) and both would go out. The claims of one domain are serialised, so the second counts the first.
    /// </summary>
    [Fact]
    public async Task NoticeJob_SpendsTheDomainsLastBudgetUnitOnce_WhenTwoNoticesToItAreClaimedAtOnceOnPostgres()
    {
        await using var rig = await NoticeRig.CreateAsync(DatabaseProvider.Postgres,
            ("Notices:RequireApproval", "false"), ("Notices:DailyBudgetPerDomain", "1"));
        var first = await rig.CaseWithContactsAsync("192.0.2.53", CaseState.Confirmed, "abuse@isp.example");
        var second = await rig.CaseWithContactsAsync("198.51.100.53", CaseState.Confirmed, "noc@isp.example");
        var a = await rig.PlanAsync(first);
        var b = await rig.PlanAsync(second);
        Assert.Equal((NoticeState.Queued, NoticeState.Queued), (a!.State, b!.State));

        var failed = await ClaimedAtOnceAsync(rig, a.Id, b.Id);

        Assert.All(failed, Assert.Null);
        Assert.True(rig.Sender.Sent.Count == 1, $"{rig.Sender.Sent.Count} notices went to isp.example on a budget of 1");
        var notices = (await rig.NoticesAsync(first)).Concat(await rig.NoticesAsync(second)).ToList();
        Assert.Equal([NoticeState.Queued, NoticeState.Sent], notices.Select(x => x.State).Order(StringComparer.Ordinal));
        var waiting = Assert.Single(notices, x => x.State == NoticeState.Queued);
        Assert.Contains("DailyBudgetPerDomain", waiting.LastError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Two first notices to one address, both due, claimed at the same moment: each job takes its own notice and then
    /// would fold the other into its batch (NoticeBatch), each waiting for the row the other holds, until PostgreSQL's
    /// deadlock detector aborts one (40P01, a failed job). Serialised per domain, the first carries both in one message
    /// and the second finds its notice carried.
    /// </summary>
    [Fact]
    public async Task NoticeJob_BatchesOnce_WhenTwoFirstNoticesToOneAddressAreClaimedAtOnceOnPostgres()
    {
        await using var rig = await NoticeRig.CreateAsync(DatabaseProvider.Postgres, ("Notices:RequireApproval", "false"));
        var first = await rig.CaseWithContactsAsync("192.0.2.54", CaseState.Confirmed, "abuse@isp.example");
        var second = await rig.CaseWithContactsAsync("198.51.100.54", CaseState.Confirmed, "abuse@isp.example");
        var a = await rig.PlanAsync(first);
        var b = await rig.PlanAsync(second);
        Assert.Equal((NoticeState.Queued, NoticeState.Queued), (a!.State, b!.State));

        var failed = await ClaimedAtOnceAsync(rig, a.Id, b.Id);

        Assert.All(failed, Assert.Null);
        var message = Assert.Single(rig.Sender.Sent).Message;
        Assert.Contains("192.0.2.54", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("198.51.100.54", message.TextBody, StringComparison.Ordinal);
        var notices = (await rig.NoticesAsync(first)).Concat(await rig.NoticesAsync(second)).ToList();
        Assert.Equal([NoticeState.Carried, NoticeState.Sent], notices.Select(x => x.State).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Runs the jobs of <paramref name="ids"/> at the same moment: a FOR SHARE lock on their rows lets each job read
    /// before it writes and makes it wait at its first write (or at the lock before it), and is let go once all wait.
    /// What each job threw (only DbUpdateException and PostgresException are caught, as a deadlock or a lost update
    /// surfaces), or null.
    /// </summary>
    private static async Task<Exception?[]> ClaimedAtOnceAsync(NoticeRig rig, params long[] ids)
    {
        var connectionString = await rig.DbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
        await using var holder = new NpgsqlConnection(connectionString);
        await holder.OpenAsync();
        Task[] jobs;
        await using (var tx = await holder.BeginTransactionAsync())
        {
            await using (var share = new NpgsqlCommand("""SELECT 1 FROM "Notices" WHERE "Id" = ANY(@ids) FOR SHARE""", holder, tx))
            {
                share.Parameters.AddWithValue("ids", ids);
                await share.ExecuteNonQueryAsync();
            }
            jobs = [.. ids.Select(id => Task.Run(() => rig.RunJobAsync(id)))];
            await AllWaitAsync(connectionString, jobs);
            await tx.RollbackAsync();
        }
        return await Task.WhenAll(jobs.Select(async j =>
        {
            try { await j; return null; }
            catch (Exception e) when (e is DbUpdateException or PostgresException or InvalidOperationException) { return e; }
        }));
    }

    /// <summary>
    /// Until every job's session waits for a lock in this database (each at its first write to its notice, or at the
    /// lock taken before it). Asked on a
    /// connection of its own: inside the holder's transaction pg_stat_activity would stay as it was at its first read.
    /// </summary>
    private static async Task AllWaitAsync(string connectionString, Task[] jobs)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        await using var watcher = new NpgsqlConnection(connectionString);
        await watcher.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
        while (true)
        {
            // A job that ended already never reached the write: fail with why rather than time out.
            if (jobs.FirstOrDefault(j => j.IsCompleted) is { } ended) await ended;
            Assert.False(jobs.Any(j => j.IsCompleted), "a job ended before it wrote to the notice");
            if ((long)(await waiting.ExecuteScalarAsync())! == jobs.Length) return;
            Assert.True(DateTime.UtcNow < deadline, $"the {jobs.Length} jobs did not all come to wait for a lock");
            await Task.Delay(50);
        }
    }
}
