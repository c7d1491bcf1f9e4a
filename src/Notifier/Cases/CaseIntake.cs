using System.Text.Json;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Cases;

/// <summary>
/// Every way a relay is reported (API, CSV, spam sample, CLI) ends here: one open case per relay, the new report
/// recorded on it, and the dispatcher nudged so a new case is probed within seconds. Never probes inline.
/// </summary>
public sealed class CaseIntake(NotifierDb db, IBackgroundJobClient jobs, TimeProvider time, IOptions<RetestOptions> retests)
{
    public sealed record Outcome(Case Case, bool Created);

    private const string SubjectNotePrefix = "Sample: ";

    /// <summary>The stored length of a sample's Subject, From and Message-ID (the columns' size).</summary>
    public const int SampleHeaderLength = 500;

    public async Task<Outcome> ReportAsync(RelayReport report, string actor, CancellationToken ct)
    {
        var outcome = await OpenOrUpdateAsync(report, actor, ct);
        await db.SaveChangesAsync(ct);
        // A new case is probed, and a resolved relay reported again retested, within seconds.
        if (outcome.Created || outcome.Case.NextAction == CaseAction.Retest) Nudge();
        return outcome;
    }

    /// <summary>All rows of an import in one transaction: a failure stores none of them.</summary>
    public async Task<IReadOnlyList<(CsvRelayRow Row, Outcome Outcome)>> ImportAsync(IReadOnlyList<CsvRelayRow> rows, string actor, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var results = new List<(CsvRelayRow, Outcome)>();
        foreach (var row in rows)
        {
            var outcome = await OpenOrUpdateAsync(new RelayReport(row.Relay, row.Source, row.Note), actor, ct);
            await db.SaveChangesAsync(ct);
            results.Add((row, outcome));
        }
        await tx.CommitAsync(ct);
        if (results.Any(r => r.Item2.Created)) Nudge();
        return results;
    }

    /// <summary>A spam sample: the relay it came through gets a case, and the sample is kept as evidence on it.</summary>
    public async Task<(Outcome Outcome, Sample Sample)> AddSampleAsync(SpamSampleResult parsed, byte[] raw, string actor, CancellationToken ct)
    {
        if (!parsed.HasSuspect) throw new InvalidOperationException("the sample names no suspected relay");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The Subject is the spammer's text: made one line and cut to the note's length rather than refused.
        var subject = FreeText.Summarize(parsed.Evidence?.Subject, FreeText.MaxNoteLength - SubjectNotePrefix.Length);
        var outcome = await OpenOrUpdateAsync(new RelayReport(parsed.SuspectedRelay, "spam-sample", subject is null ? null : SubjectNotePrefix + subject), actor, ct);
        var now = time.GetUtcNow();
        var sample = new Sample
        {
            ReceivedAt = now,
            Subject = FreeText.Summarize(parsed.Evidence?.Subject, SampleHeaderLength),
            From = FreeText.Summarize(parsed.Evidence?.From, SampleHeaderLength),
            MessageId = FreeText.Summarize(parsed.Evidence?.MessageId, SampleHeaderLength),
            Date = parsed.Evidence?.Date,
            HopsJson = JsonSerializer.Serialize(parsed.Hops, JsonSerializerOptions.Web),
            Raw = raw,
        };
        outcome.Case.Samples.Add(sample);
        outcome.Case.Events.Add(CaseWorkflow.Event(now, actor, CaseEventKind.SampleAdded, $"Spam sample stored: {SummaryOf(parsed)}", null));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (outcome.Created) Nudge();
        return (outcome, sample);
    }

    private async Task<Outcome> OpenOrUpdateAsync(RelayReport report, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var key = report.Relay.CaseKey;
        var existing = db.Cases.Local.FirstOrDefault(c => c.OpenRelayKey == key)
            ?? await db.Cases.SingleOrDefaultAsync(c => c.OpenRelayKey == key, ct);
        if (existing is not null)
        {
            CaseWorkflow.AddReport(existing, report.Source, report.Note, actor, retests.Value, now);
            return new Outcome(existing, false);
        }
        var c = CaseWorkflow.Open(report.Relay.Address, report.Relay.Port, key, report.Source, report.Note, actor, now);
        db.Cases.Add(c);
        return new Outcome(c, true);
    }

    /// <summary>The parser's sentence about the sample, which quotes header text the sender chose, made fit to show.</summary>
    public static string SummaryOf(SpamSampleResult parsed) => FreeText.Summarize(parsed.Summary, FreeText.MaxNoteLength) ?? "";

    /// <summary>Run the dispatcher now rather than at its next tick.</summary>
    private void Nudge() => CaseDispatcher.Nudge(jobs);
}
