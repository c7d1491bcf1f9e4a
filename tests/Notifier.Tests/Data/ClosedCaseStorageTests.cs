using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Data;

/// <summary>
/// What a closed relay's case costs in the database (issue 17: at most 5 KB a case): its timeline is four lines (no
/// probe-queued line beside the move to probing that says the same), a new SQLite database has 8 KB pages, and 60
/// cases whose probe found a closed Postfix (the full-probe fixture: 188 transcript lines, 21 variants) grow the file
/// by less than 5 KB each.
/// </summary>
public sealed class ClosedCaseStorageTests
{
    private const int Cases = 60;

    private static ProbeResult ClosedPostfix() =>
        ProbeResultJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "closed-postfix-full-probe.json")))!;

    [Fact]
    public void AClosedRelaysCase_HasFourTimelineLines_TheMoveToProbingNamingTheAttemptAndMode()
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        var c = CaseWorkflow.Open("192.0.2.25", 25, "192.0.2.25:25", "test", null, "cli", now);
        var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
        CaseWorkflow.ProbeFinished(c, probe, ClosedPostfix(), new CasesOptions(), now);

        Assert.Equal(CaseState.NotRelay, c.State);
        Assert.Equal([CaseEventKind.Created, CaseEventKind.StateChanged, CaseEventKind.ProbeFinished, CaseEventKind.StateChanged], c.Events.Select(e => e.Kind));
        Assert.Equal($"{CaseState.New} → {CaseState.Probing}: probe attempt 1 queued (quick mode)", c.Events[1].Summary);
    }

    [Fact]
    public void AProbeQueuedWhileProbing_StillGetsItsOwnLine()
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        var c = CaseWorkflow.Open("192.0.2.25", 25, "192.0.2.25:25", "test", null, "cli", now);
        CaseWorkflow.QueueProbe(c, ProbeMode.Quick, now);
        CaseWorkflow.QueueProbe(c, ProbeMode.Full, now);

        var queued = Assert.Single(c.Events, e => e.Kind == CaseEventKind.ProbeQueued);
        Assert.Equal("Probe queued (full mode, attempt 2)", queued.Summary);
    }

    [Fact]
    public async Task ClosedRelaysCases_TakeUnderFiveKilobytesEach_InANewSqliteDatabase()
    {
        using var factory = new DefaultNotifierFactory();
        var result = ClosedPostfix();
        _ = factory.Services; // the service creates and migrates the database as it starts
        Assert.Equal(SqlitePageSize.Bytes, await PragmaAsync(factory.DatabasePath, "page_size"));
        var before = await BytesAsync(factory.DatabasePath);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var now = result.FinishedAt;
            for (var i = 0; i < Cases; i++)
            {
                var c = CaseWorkflow.Open($"192.0.2.{i + 1}", 25, $"192.0.2.{i + 1}:25", "test", null, "cli", now);
                var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Full, now);
                CaseWorkflow.ProbeFinished(c, probe, result, new CasesOptions(), now);
                db.Cases.Add(c);
                await db.SaveChangesAsync();
            }
            Assert.Equal(4 * Cases, await db.CaseEvents.CountAsync());
        }
        var perCase = (await BytesAsync(factory.DatabasePath) - before) / Cases;
        Assert.True(perCase < 5 * 1024, $"{perCase} bytes a closed case");
    }

    /// <summary>The database's pages in use (WAL checkpointed into the file first), in bytes.</summary>
    private static async Task<long> BytesAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        await command.ExecuteNonQueryAsync();
        return (await PragmaAsync(path, "page_count") - await PragmaAsync(path, "freelist_count")) * await PragmaAsync(path, "page_size");
    }

    private static async Task<long> PragmaAsync(string path, string name)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
