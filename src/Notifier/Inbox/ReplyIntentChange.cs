using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Inbox;

/// <summary>
/// An operator changes a reply's intent, or confirms the one the inbox held (<see cref="InboundMessage.HeldIntent"/>).
/// The new intent acts as if the inbox had classified it so, with the operator's word for the sender
/// (<see cref="CaseReplies"/>, the same code the inbox uses): <c>fixed</c> requests a retest (unless the case is
/// closed), <c>opt-out</c> suppresses the sender (unless something already does). Leaving an intent undoes only
/// what is safe to undo:
/// <list type="bullet">
/// <item>leaving <c>opt-out</c> removes the suppression this reply added (linked by
/// <see cref="Contacts.Suppression.InboundMessageId"/>), never one an operator, the API or another reply added. If
/// another reply from the same sender still says opt-out (and was not held), the suppression stays and is handed
/// over to that reply, so that changing that one later removes it.</item>
/// <item>leaving a held intent takes nothing back: it was never applied.</item>
/// <item>leaving <c>fixed</c> does not cancel the retest: a probe only measures, and its result is true whatever the
/// reply said.</item>
/// </list>
/// Everything it did is written to the case timeline as one <see cref="CaseEventKind.ReplyIntent"/> event, saved with
/// the change (the caller saves, inside its transaction; contacts of open cases are re-ranked when a suppression changed).
/// </summary>
public sealed class ReplyIntentChange(NotifierDb db, CaseReplies replies)
{
    /// <summary>
    /// Sets reply <paramref name="id"/>'s intent, for PUT /api/inbox/messages/{id}/intent and the case page alike:
    /// only replies have an intent; setting the one it has changes nothing, unless the inbox held it for an operator
    /// (then setting it applies it). The change and what it did are saved in one transaction with the case event.
    /// </summary>
    public async Task<ReplyIntentOutcome> SetAsync(long id, string? intent, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (intent is null || !ReplyIntent.All.Contains(intent)) return new(ReplyIntentResult.InvalidIntent, null, null, $"one of {string.Join(", ", ReplyIntent.All)}");
        var m = await db.InboundMessages.SingleOrDefaultAsync(x => x.Id == id, ct);
        if (m is null) return new(ReplyIntentResult.NotFound, null, null, null);
        if (m.Class != InboundClass.Reply) return new(ReplyIntentResult.NotAReply, m, null, $"message {id} is {m.Class}, not a reply: only replies have an intent");
        if ((m.Intent == intent && m.HeldIntent != intent) || m.CaseId is not { } caseId) return new(ReplyIntentResult.Unchanged, m, null, null);
        var c = await db.Cases.SingleAsync(x => x.Id == caseId, ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var summary = await ApplyAsync(m, c, intent, actor, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new(ReplyIntentResult.Changed, m, c, summary);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(ReplyIntentResult.CaseChanged, m, c, $"case {c.Reference} changed meanwhile; read the message again and retry");
        }
    }

    /// <summary>What changed, in words; the caller saves.</summary>
    public async Task<string> ApplyAsync(InboundMessage m, Case c, string intent, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var from = m.Intent ?? "none";
        var held = m.HeldIntent;
        var reply = new CaseReply(m.Id, m.MessageId, m.FromAddress, SenderTrust.Proven($"intent set by {actor}"));
        var did = new List<string>();

        if (held is not null && held != intent)
        {
            did.Add($"the held {held} was never applied: nothing to take back");
        }
        else if (held is null && ReplyIntent.RequestOf(from) == ReplyRequest.StopMailingSender)
        {
            var other = await db.InboundMessages.AsNoTracking()
                .Where(x => x.Id != m.Id && x.Class == InboundClass.Reply && x.Intent == ReplyIntent.OptOut && x.HeldIntent == null && x.FromAddress == m.FromAddress)
                .OrderBy(x => x.Id).Select(x => new { x.Id, x.MessageId }).FirstOrDefaultAsync(ct);
            var takeOver = other is null ? null : new CaseReply(other.Id, other.MessageId, m.FromAddress, reply.Trust);
            did.Add(await replies.WithdrawStopMailingAsync(reply, takeOver, actor, now, ct));
        }
        else if (from == ReplyIntent.Fixed && intent != ReplyIntent.Fixed)
        {
            did.Add("the retest requested for \"fixed\" is not cancelled (a probe only measures)");
        }

        did.AddRange((await replies.ActAsync(c, ReplyIntent.RequestOf(intent), reply, actor, now, ct)).Did);

        m.Rule = Cap($"{m.Rule}; intent set to {intent} by {actor}", 4000);
        m.Intent = intent;
        m.HeldIntent = null;
        var what = held == intent ? $"held {intent} applied by {actor}" : $"intent changed from {from} to {intent} by {actor}";
        var summary = $"Reply {m.Id} from {m.FromAddress}: {what}" + (did.Count == 0 ? "" : "; " + string.Join("; ", did));
        CaseWorkflow.ReplyIntentChanged(c, actor, summary, now);
        return summary;
    }

    private static string Cap(string s, int max) => s.Length <= max ? s : s[..max];
}

/// <summary>What <see cref="ReplyIntentChange.SetAsync"/> did.</summary>
public enum ReplyIntentResult
{
    Changed,
    Unchanged,
    InvalidIntent,
    NotFound,
    NotAReply,
    CaseChanged,
}

/// <param name="Message">The reply (null when there is none).</param>
/// <param name="Case">Its case, when the intent was applied to it (a "fixed" may have made a retest due: nudge the dispatcher).</param>
/// <param name="Detail">What changed, in words; or why nothing did.</param>
public sealed record ReplyIntentOutcome(ReplyIntentResult Result, InboundMessage? Message, Case? Case, string? Detail);
