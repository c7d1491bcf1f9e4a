using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// What a reply's request does to its case and contacts, the one implementation for a reply the inbox classified
/// and for an operator who changes or confirms a reply's intent:
/// <list type="bullet">
/// <item><see cref="ReplyRequest.Retest"/> requests a retest of a notified case (under <c>Retests:MinInterval</c>),
/// else a probe now (unless the case is closed). It is never held: a probe only measures, so a forged "fixed" costs
/// one probe and proves nothing false.</item>
/// <item><see cref="ReplyRequest.StopMailingSender"/> suppresses the sender (unless something already does), linked
/// to the reply so that changing its intent can take it back. A suppression is absolute and permanent, so a forged
/// opt-out would silence an abuse desk: it is applied only when the sender is proven
/// (<see cref="CaseReply.Trust"/>), otherwise it is held and the suggestion recorded for an operator.</item>
/// </list>
/// Call inside the caller's transaction: a changed suppression is saved and the open cases' contacts are re-ranked
/// at once (ranking reads suppressions from the database); the caller saves the rest with its case event.
/// </summary>
public sealed class CaseReplies(NotifierDb db, ContactPolicyChange policyChange, IOptions<RetestOptions> retests)
{
    /// <summary>Whether a request does harm when the reply is forged, so that it needs a proven sender.</summary>
    public static bool HurtsIfForged(ReplyRequest request) => request == ReplyRequest.StopMailingSender;

    /// <summary>Does what the reply asks, or holds it for an operator; <paramref name="actor"/> is <c>inbox</c> or who set the intent.</summary>
    public async Task<ReplyOutcome> ActAsync(Case c, ReplyRequest request, CaseReply reply, string actor, DateTimeOffset now, CancellationToken ct)
    {
        switch (request)
        {
            case ReplyRequest.Retest when c.State == CaseState.Closed:
                return new(["no retest: the case is closed"], false);
            case ReplyRequest.Retest when CaseWorkflow.IsNotified(c):
                var at = CaseWorkflow.RequestRetest(c, actor, $"reply {reply.Id} from {reply.Sender} says it is fixed" + SetBy(actor), retests.Value, now);
                return new([string.Create(System.Globalization.CultureInfo.InvariantCulture, $"retest requested (runs at {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC)")], false);
            case ReplyRequest.Retest:
                CaseWorkflow.RequestProbe(c, actor, now, $"reply {reply.Id} from {reply.Sender} says it is fixed" + SetBy(actor));
                return new(["retest requested"], false);
            case ReplyRequest.StopMailingSender:
                return await StopMailingAsync(c, reply, actor, now, ct);
            default:
                return new([], false);
        }
    }

    /// <summary>
    /// Takes back the suppression this reply added, when it leaves its opt-out: handed over to
    /// <paramref name="takeOver"/> (another reply of the same sender that still opts out) when there is one, else
    /// removed. A suppression the reply did not add (an operator's, the API's, another reply's) is left as it is.
    /// </summary>
    public async Task<string> WithdrawStopMailingAsync(CaseReply reply, CaseReply? takeOver, string actor, DateTimeOffset now, CancellationToken ct)
    {
        var own = await db.Suppressions.SingleOrDefaultAsync(s => s.InboundMessageId == reply.Id, ct);
        if (own is null)
        {
            return reply.Sender is null
                ? "no suppression to take back (the reply has no sender address)"
                : $"the suppression of {reply.Sender} was not added by this reply (or was removed already): left as it is";
        }
        if (takeOver is not null)
        {
            own.InboundMessageId = takeOver.Id;
            own.Reason = Cap($"opt-out reply {takeOver.Id} ({takeOver.MessageId}); taken over from reply {reply.Id}, whose intent {actor} changed");
            return $"{own.Value} stays suppressed: reply {takeOver.Id} from that address also opts out";
        }
        db.Suppressions.Remove(own);
        await policyChange.SuppressionChangedAsync(own.ToPolicy(), now, ct);
        return $"suppression of {own.Value} removed (this reply had added it)";
    }

    private async Task<ReplyOutcome> StopMailingAsync(Case c, CaseReply reply, string actor, DateTimeOffset now, CancellationToken ct)
    {
        if (reply.Sender is not { } sender) return new(["nothing suppressed: the reply has no sender address"], false);
        if (await db.Suppressions.AsNoTracking().AnyAsync(s => s.Value == sender, ct) || db.Suppressions.Local.Any(s => s.Value == sender))
            return new([$"{sender} was already suppressed"], false);
        if (!reply.Trust.IsProven)
            return new([$"opt-out held for an operator, {sender} not suppressed: {reply.Trust.Why}; suggested action: suppress {sender}"], true);
        var s = new Suppression
        {
            Value = sender,
            Reason = Cap($"opt-out reply {reply.Id} about {c.Reference} ({reply.MessageId}); {reply.Trust.Why}"),
            AddedBy = actor,
            AddedAt = now,
            InboundMessageId = reply.Id,
        };
        db.Suppressions.Add(s);
        await policyChange.SuppressionChangedAsync(s.ToPolicy(), now, ct);
        return new([$"{sender} suppressed"], false);
    }

    private static string SetBy(string actor) => actor == CaseWorkflow.Inbox ? "" : $" (intent set by {actor})";

    private static string Cap(string s, int max = 500) => s.Length <= max ? s : s[..max];
}
