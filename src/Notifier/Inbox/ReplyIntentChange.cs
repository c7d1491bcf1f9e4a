using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Inbox;

/// <summary>
/// An operator changes a reply's intent. The new intent acts as if the inbox had classified it so: <c>fixed</c>
/// requests a retest (unless the case is closed), <c>opt-out</c> suppresses the sender (unless something already
/// does). Leaving an intent undoes only what is safe to undo:
/// <list type="bullet">
/// <item>leaving <c>opt-out</c> removes the suppression this reply added (linked by
/// <see cref="Suppression.InboundMessageId"/>), never one an operator, the API or another reply added. If another
/// reply from the same sender still says opt-out, the suppression stays and is handed over to that reply, so that
/// changing that one later removes it.</item>
/// <item>leaving <c>fixed</c> does not cancel the retest: a probe only measures, and its result is true whatever the
/// reply said.</item>
/// </list>
/// Everything it did is written to the case timeline as one <see cref="CaseEventKind.ReplyIntent"/> event, saved with
/// the change (the caller saves; contacts of open cases are re-ranked when a suppression changed).
/// </summary>
public sealed class ReplyIntentChange(NotifierDb db, ContactPolicyChange policyChange)
{
    /// <summary>What changed, in words; the caller saves.</summary>
    public async Task<string> ApplyAsync(InboundMessage m, Case c, string intent, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var from = m.Intent ?? "none";
        var did = new List<string>();
        ContactSuppression? changed = null;

        if (from == ReplyIntent.OptOut)
        {
            var own = await db.Suppressions.SingleOrDefaultAsync(s => s.InboundMessageId == m.Id, ct);
            if (own is null)
            {
                did.Add(m.FromAddress is null
                    ? "no suppression to take back (the reply has no sender address)"
                    : $"the suppression of {m.FromAddress} was not added by this reply (or was removed already): left as it is");
            }
            else
            {
                var other = await db.InboundMessages.AsNoTracking()
                    .Where(x => x.Id != m.Id && x.Class == InboundClass.Reply && x.Intent == ReplyIntent.OptOut && x.FromAddress == own.Value)
                    .OrderBy(x => x.Id).Select(x => new { x.Id, x.MessageId }).FirstOrDefaultAsync(ct);
                if (other is not null)
                {
                    own.InboundMessageId = other.Id;
                    own.Reason = Cap($"opt-out reply {other.Id} ({other.MessageId}); taken over from reply {m.Id}, whose intent {actor} changed");
                    did.Add($"{own.Value} stays suppressed: reply {other.Id} from that address also opts out");
                }
                else
                {
                    db.Suppressions.Remove(own);
                    changed = own.ToPolicy();
                    did.Add($"suppression of {own.Value} removed (this reply had added it)");
                }
            }
        }
        else if (from == ReplyIntent.Fixed && intent != ReplyIntent.Fixed)
        {
            did.Add("the retest requested for \"fixed\" is not cancelled (a probe only measures)");
        }

        if (intent == ReplyIntent.Fixed)
        {
            if (c.State == CaseState.Closed)
            {
                did.Add("no retest: the case is closed");
            }
            else
            {
                CaseWorkflow.RequestProbe(c, actor, now, $"reply {m.Id} from {m.FromAddress} says it is fixed (intent set by {actor})");
                did.Add("retest requested");
            }
        }
        else if (intent == ReplyIntent.OptOut)
        {
            if (m.FromAddress is not { } sender)
            {
                did.Add("nothing suppressed: the reply has no sender address");
            }
            else if (await db.Suppressions.AsNoTracking().AnyAsync(s => s.Value == sender, ct))
            {
                did.Add($"{sender} was already suppressed");
            }
            else
            {
                var s = new Suppression
                {
                    Value = sender,
                    Reason = Cap($"opt-out reply {m.Id} about {c.Reference} ({m.MessageId}); intent set by {actor}"),
                    AddedBy = actor,
                    AddedAt = now,
                    InboundMessageId = m.Id,
                };
                db.Suppressions.Add(s);
                changed = s.ToPolicy();
                did.Add($"{sender} suppressed");
            }
        }

        m.Rule = Cap($"{m.Rule}; intent set to {intent} by {actor}", 4000);
        m.Intent = intent;
        var summary = $"Reply {m.Id} from {m.FromAddress}: intent changed from {from} to {intent} by {actor}" + (did.Count == 0 ? "" : "; " + string.Join("; ", did));
        CaseWorkflow.ReplyIntentChanged(c, actor, summary, now);

        // In the caller's transaction: the change saved, then the open cases it touches re-ranked.
        if (changed is not null) await policyChange.SuppressionChangedAsync(changed, now, ct);
        return summary;
    }

    private static string Cap(string s, int max = 500) => s.Length <= max ? s : s[..max];
}
