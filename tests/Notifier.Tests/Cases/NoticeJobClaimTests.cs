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
            await BothWaitAsync(connectionString, jobs);
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
    /// Until both jobs' sessions wait for a lock in this database (each at its first write to the notice). Asked on a
    /// connection of its own: inside the holder's transaction pg_stat_activity would stay as it was at its first read.
    /// </summary>
    private static async Task BothWaitAsync(string connectionString, Task[] jobs)
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
            if ((long)(await waiting.ExecuteScalarAsync())! == 2) return;
            Assert.True(DateTime.UtcNow < deadline, "the two jobs did not both come to wait for the notice's row");
            await Task.Delay(50);
        }
    }
}
