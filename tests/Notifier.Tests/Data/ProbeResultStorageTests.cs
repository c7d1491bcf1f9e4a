using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;
using Notifier.Tests.Pages;

namespace Notifier.Tests.Data;

/// <summary>
/// Probe results are stored compressed (issue 17: at most 5 KB per closed case): a closed Postfix's full probe
/// (Fixtures/closed-postfix-full-probe.json, <c>probe --full --json</c> against the lab's closed Postfix: 188
/// transcript lines, 21 variants, 35 KB as printed) takes a few KB in the database and reads back the same; and a
/// database of the build before (results as plain JSON) is converted at start, its transcripts still on the case
/// page and in the API.
/// </summary>
public sealed class ProbeResultStorageTests
{
    /// <summary>The last migration before results were compressed: what the previous build's databases have.</summary>
    private const string BeforeCompaction = "20261201224139_OwnerRetest";

    private static ProbeResult ClosedPostfix() =>
        ProbeResultJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "closed-postfix-full-probe.json")))!;

    [Fact]
    public async Task AFinishedProbe_IsStoredInAFewKilobytes_AndReadsBackWhole()
    {
        using var factory = new DefaultNotifierFactory();
        var result = ClosedPostfix();
        var json = ProbeResultJson.Serialize(result);
        int probeId;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var now = DateTimeOffset.UtcNow;
            var c = CaseWorkflow.Open("192.0.2.25", 25, "192.0.2.25:25", "test", null, "cli", now);
            var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Full, now);
            probe.LiveTranscript = """[{"at":"2026-12-02T04:30:12Z","dir":"<-","line":"220 live copy"}]""";
            CaseWorkflow.ProbeFinished(c, probe, result, new CasesOptions(), now);
            db.Cases.Add(c);
            await db.SaveChangesAsync();
            probeId = probe.Id;
        }

        var (stored, uncompressed, live) = await ColumnsAsync(factory.DatabasePath, probeId);
        Assert.True(json.Length > 25_000, $"the fixture is a full transcript ({json.Length} bytes of JSON)");
        Assert.InRange(stored!.Length, 1, 4_000);
        Assert.Null(uncompressed);
        Assert.Null(live);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var read = await db.Probes.AsNoTracking().SingleAsync(p => p.Id == probeId);
            Assert.Equal(json, read.ResultJson);
        }
    }

    [Fact]
    public async Task ADatabaseOfThePreviousBuild_KeepsItsTranscripts_OnTheCasePageAndInTheApi()
    {
        using var factory = new DefaultNotifierFactory();
        var result = ClosedPostfix();
        var json = ProbeResultJson.Serialize(result);
        var at = result.FinishedAt;
        await using (var old = new SqliteNotifierDb(new DbContextOptionsBuilder<SqliteNotifierDb>()
            .UseSqlite($"Data Source={factory.DatabasePath};Pooling=False").Options))
        {
            await old.GetService<IMigrator>().MigrateAsync(BeforeCompaction);
            // What the previous build wrote: the result as plain JSON in Probes.ResultJson, no LastVerdict column.
            await old.Database.ExecuteSqlAsync($"""
                INSERT INTO Cases (Id, Address, Port, RelayKey, State, CreatedAt, UpdatedAt, ProbeAttempts, NeedsAttention, Version, HostName, Mta)
                VALUES (7, '192.0.2.7', 25, '192.0.2.7:25', {CaseState.NotRelay}, {at}, {at}, 0, 0, 1, 'mail.closed.test', 'Postfix')
                """);
            await old.Database.ExecuteSqlAsync($"""
                INSERT INTO Probes (Id, CaseId, Key, Status, Kind, Mode, EnvelopeRetry, QueuedAt, StartedAt, FinishedAt, Verdict, Reason, ResultJson)
                VALUES (70, 7, {result.ProbeKey}, {ProbeStatus.Done}, {ProbeKind.Initial}, 'full', 0, {at}, {at}, {at}, {result.Verdict}, {result.Reason}, {json})
                """);
        }

        using var browser = await DashboardSession.SignedInAsync(factory); // starts the service: it migrates and compacts
        var (stored, uncompressed, _) = await ColumnsAsync(factory.DatabasePath, 70);
        Assert.Null(uncompressed);
        Assert.InRange(stored!.Length, 1, json.Length / 5);

        var page = await browser.GetStringAsync(new Uri("/cases/7", UriKind.Relative));
        Assert.Contains($"Transcript ({result.Transcript.Count} lines", page, StringComparison.Ordinal);
        Assert.Contains("220 mail.closed.test ESMTP Postfix", page, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(result.Transcript[^3].Line), page, StringComparison.Ordinal);

        using var api = await factory.ClientWithKeyAsync(ApiScope.Read);
        var detail = await api.GetFromJsonAsync<JsonElement>(new Uri("/api/cases/7", UriKind.Relative));
        var transcript = detail.GetProperty("probes")[0].GetProperty("transcript").EnumerateArray().Select(l => l.GetProperty("line").GetString()).ToList();
        Assert.Equal(result.Transcript.Select(l => l.Line), transcript);
        Assert.Equal(result.Variants.Count, detail.GetProperty("probes")[0].GetProperty("variants").GetArrayLength());
        Assert.Equal(ProbeVerdict.Closed, detail.GetProperty("case").GetProperty("lastVerdict").GetString());

        var list = await api.GetFromJsonAsync<JsonElement>(new Uri("/api/cases?q=192.0.2.7", UriKind.Relative));
        Assert.Equal(ProbeVerdict.Closed, list.GetProperty("items")[0].GetProperty("lastVerdict").GetString());
    }

    /// <summary>The probe's three result columns as the database holds them (not through the model's converter).</summary>
    private static async Task<(byte[]? Result, string? ResultJson, string? LiveTranscript)> ColumnsAsync(string path, int probeId)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Result, ResultJson, LiveTranscript FROM Probes WHERE Id = $id";
        command.Parameters.AddWithValue("$id", probeId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.IsDBNull(0) ? null : (byte[])reader[0], reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }
}
