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
        var outcome = (await StoreAsync([report], actor, ct))[0];
        if (NeedsDispatch(outcome)) Nudge();
        return outcome;
    }

    /// <summary>
    /// Rows stored per transaction of an import. One transaction for the whole file held SQLite's single write lock
    /// for all of it (probing stalled meanwhile) and one save per row made the change tracker grow with the file
    /// (10,000 rows took minutes); a batch of this size is one short write, and the tracker is cleared after it.
    /// </summary>
    public const int ImportBatchSize = 500;

    /// <summary>
    /// Stores the rows of an import in batches of <see cref="ImportBatchSize"/>, each in its own transaction: a batch
    /// is stored whole or not at all. The parser refuses a broken file before anything is stored, so what can stop
    /// an import midway is the database itself; the batches stored until then stay (they are whole cases), and
    /// importing the file again adds a report to those cases rather than opening them twice.
    /// </summary>
    public async Task<IReadOnlyList<(CsvRelayRow Row, Outcome Outcome)>> ImportAsync(IReadOnlyList<CsvRelayRow> rows, string actor, CancellationToken ct)
    {
        var results = new List<(CsvRelayRow, Outcome)>(rows.Count);
        var nudged = false;
        var dueSinceNudge = false;
        foreach (var batch in rows.Chunk(ImportBatchSize))
        {
            var outcomes = await StoreAsync(batch.Select(r => new RelayReport(r.Relay, r.Source, r.Note)).ToList(), actor, ct);
            for (var i = 0; i < batch.Length; i++) results.Add((batch[i], outcomes[i]));
            // The outcomes keep their case (id, reference, state) for the report; nothing else needs them tracked.
            db.ChangeTracker.Clear();
            dueSinceNudge |= outcomes.Any(NeedsDispatch);
            // The first batch's cases are probed while the rest are stored; the last nudge covers what came after.
            if (dueSinceNudge && !nudged)
            {
                Nudge();
                nudged = true;
                dueSinceNudge = false;
            }
        }
        if (dueSinceNudge) Nudge();
        return results;
    }

    /// <summary>
    /// One batch in one SaveChanges (one transaction). Another writer (the dispatcher, a job, an operator) may change
    /// one of the open cases between the lookup and the save, and the case's version refuses the save; or another
    /// node may open a case for one of the same relays at once, and the unique open-relay key refuses the second
    /// case. The batch is then looked up and applied again on the current cases (the other node's case gets the report).
    /// </summary>
    private async Task<IReadOnlyList<Outcome>> StoreAsync(IReadOnlyList<RelayReport> reports, string actor, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcomes = await OpenOrUpdateAsync(reports, actor, ct);
            try
            {
                await db.SaveChangesAsync(ct);
                return outcomes;
            }
            catch (DbUpdateException e) when (attempt < StoreAttempts && (e is DbUpdateConcurrencyException || UniqueViolation.Is(e)))
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private const int StoreAttempts = 3;

    /// <summary>A spam sample: the relay it came through gets a case, and the sample is kept as evidence on it.</summary>
    public async Task<(Outcome Outcome, Sample Sample)> AddSampleAsync(SpamSampleResult parsed, byte[] raw, string actor, CancellationToken ct)
    {
        if (!parsed.HasSuspect) throw new InvalidOperationException("the sample names no suspected relay");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The Subject is the spammer's text: made one line and cut to the note's length rather than refused.
        var subject = FreeText.Summarize(parsed.Evidence?.Subject, FreeText.MaxNoteLength - SubjectNotePrefix.Length);
        var outcome = (await OpenOrUpdateAsync([new RelayReport(parsed.SuspectedRelay, "spam-sample", subject is null ? null : SubjectNotePrefix + subject)], actor, ct))[0];
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

    /// <summary>
    /// Opens a case per relay, or records the report on its open case, for a batch of reports (outcomes in report
    /// order). The open cases are looked up in one query for the whole batch, not one per report; a relay named
    /// twice in the batch is opened once and the second report added to it.
    /// </summary>
    private async Task<IReadOnlyList<Outcome>> OpenOrUpdateAsync(IReadOnlyList<RelayReport> reports, string actor, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keys = reports.Select(r => r.Relay.CaseKey).Distinct(StringComparer.Ordinal).ToList();
        var open = await db.Cases.Where(c => c.OpenRelayKey != null && keys.Contains(c.OpenRelayKey))
            .ToDictionaryAsync(c => c.OpenRelayKey!, StringComparer.Ordinal, ct);
        var outcomes = new List<Outcome>(reports.Count);
        foreach (var report in reports)
        {
            var key = report.Relay.CaseKey;
            if (open.TryGetValue(key, out var existing))
            {
                CaseWorkflow.AddReport(existing, report.Source, report.Note, actor, retests.Value, now);
                outcomes.Add(new Outcome(existing, false));
                continue;
            }
            var c = CaseWorkflow.Open(report.Relay.Address, report.Relay.Port, key, report.Source, report.Note, actor, now);
            db.Cases.Add(c);
            open[key] = c;
            outcomes.Add(new Outcome(c, true));
        }
        return outcomes;
    }

    /// <summary>The parser's sentence about the sample, which quotes header text the sender chose, made fit to show.</summary>
    public static string SummaryOf(SpamSampleResult parsed) => FreeText.Summarize(parsed.Summary, FreeText.MaxNoteLength) ?? "";

    /// <summary>A new case is probed, and a resolved relay reported again retested, within seconds.</summary>
    private static bool NeedsDispatch(Outcome o) => o.Created || o.Case.NextAction == CaseAction.Retest;

    /// <summary>Run the dispatcher now rather than at its next tick.</summary>
    private void Nudge() => CaseDispatcher.Nudge(jobs);
}
