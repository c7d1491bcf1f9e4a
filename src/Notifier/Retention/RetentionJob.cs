using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Retention;

/// <summary>
/// The recurring retention run: empties the raw form of inbound messages and spam samples older than the
/// configured days, except where an open case (<see cref="CaseState.IsOpen"/>: anything not closed) still holds
/// them as evidence. An inbound message belongs to no case when the inbox could not thread it (unknown mail, an
/// auto-reply to nothing); that goes by age alone. Idempotent: a row already emptied is not touched again.
/// </summary>
public sealed class RetentionJob(NotifierDb db, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> log)
{
    public const string RecurringId = "retention";

    /// <summary>Written into an emptied inbound message's detail, so the inbox page says why the raw form is gone.</summary>
    public const string RemovedNote = "raw message removed by retention";

    [DisableConcurrentExecution(3600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<(int InboundMessages, int Samples)> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        // Compared as a value (SQLite: "Raw" <> X''), since EF translates no length of a blob here.
        var emptied = Array.Empty<byte>();
        var inbound = 0;
        var samples = 0;
        if (o.InboundMessageDays > 0)
        {
            var cutoff = now - TimeSpan.FromDays(o.InboundMessageDays);
            var note = $"; {RemovedNote} on {now.UtcDateTime:yyyy-MM-dd} (Retention:InboundMessageDays {o.InboundMessageDays})";
            inbound = await db.InboundMessages
                .Where(m => m.FetchedAt < cutoff && m.Raw != emptied)
                .Where(m => m.CaseId == null || db.Cases.Any(c => c.Id == m.CaseId && c.State == CaseState.Closed))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Raw, emptied)
                    .SetProperty(m => m.Headers, "")
                    .SetProperty(m => m.Detail, m => (m.Detail ?? "") + note), cancellationToken);
        }
        if (o.SampleDays > 0)
        {
            var cutoff = now - TimeSpan.FromDays(o.SampleDays);
            samples = await db.Samples
                .Where(s => s.ReceivedAt < cutoff && s.Raw != emptied)
                .Where(s => db.Cases.Any(c => c.Id == s.CaseId && c.State == CaseState.Closed))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Raw, emptied), cancellationToken);
        }
        if (inbound + samples > 0)
            log.LogInformation("Retention emptied the raw form of {InboundMessages} inbound messages (older than {InboundDays} days) and {Samples} samples (older than {SampleDays} days) that no open case holds",
                inbound, o.InboundMessageDays, samples, o.SampleDays);
        return (inbound, samples);
    }
}
