using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Intake;
using Notifier.Tests.Inbox;

namespace Notifier.Tests.Cases;

/// <summary>An import larger than one batch: every row is accounted for with its line, and relays with an open case get a report, not a second case.</summary>
public sealed class CaseIntakeImportTests
{
    [Fact]
    public async Task ImportAsync_ReportsEveryRowWithItsLine_AndAddsToOpenCases_WhenTheFileSpansSeveralBatches()
    {
        await using var h = await InboxHarness.CreateAsync(null);
        var rows = Enumerable.Range(0, CaseIntake.ImportBatchSize * 2 + 200)
            .Select(i => Row(line: i + 2, address: $"203.0.{i / 250}.{i % 250 + 1}"))
            .ToList();
        // Relays already open before the import, one in the second batch and one in the third.
        var alreadyOpen = new[] { rows[CaseIntake.ImportBatchSize + 7], rows[CaseIntake.ImportBatchSize * 2 + 100] };
        var openIds = new List<int>();
        await using (var scope = h.Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            foreach (var r in alreadyOpen)
            {
                var c = CaseWorkflow.Open(r.Relay.Address, r.Relay.Port, r.Relay.CaseKey, "earlier", null, "test", DateTimeOffset.UtcNow);
                db.Cases.Add(c);
                await db.SaveChangesAsync();
                openIds.Add(c.Id);
            }
        }
        using var storage = Notifier.Tests.Jobs.TestJobStorage.Create();

        IReadOnlyList<(CsvRelayRow Row, CaseIntake.Outcome Outcome)> done;
        await using (var scope = h.Scope())
        {
            var sp = scope.ServiceProvider;
            var intake = new CaseIntake(sp.GetRequiredService<NotifierDb>(), new BackgroundJobClient(storage), TimeProvider.System, sp.GetRequiredService<IOptions<RetestOptions>>());
            done = await intake.ImportAsync(rows, "importer", CancellationToken.None);
        }

        Assert.Equal(rows.Select(r => r.Line), done.Select(d => d.Row.Line));
        Assert.Equal(openIds, done.Where(d => !d.Outcome.Created).Select(d => d.Outcome.Case.Id));
        Assert.Equal(rows.Count, done.Select(d => d.Outcome.Case.Id).Distinct().Count());
        Assert.All(done, d => Assert.Equal(d.Row.Relay.CaseKey, d.Outcome.Case.RelayKey));
        await using var check = h.Scope();
        var db2 = check.ServiceProvider.GetRequiredService<NotifierDb>();
        Assert.Equal(rows.Count, await db2.Cases.CountAsync());
        foreach (var id in openIds)
            Assert.Equal(1, await db2.CaseEvents.CountAsync(e => e.CaseId == id && e.Kind == CaseEventKind.Reported && e.Actor == "importer"));
        // The dispatcher is nudged, so the new cases are probed without waiting for its next tick.
        Assert.True(storage.GetMonitoringApi().EnqueuedCount("default") > 0);
    }

    private static CsvRelayRow Row(int line, string address) =>
        new(line, RelayAddress.TryParse(address, "25", out var relay, out _) ? relay : throw new ArgumentException(address), "feed", $"line {line}");
}
