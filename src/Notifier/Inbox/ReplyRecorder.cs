using MimeKit;
using Notifier.Cases;

namespace Notifier.Inbox;

/// <summary>
/// A person's mail: threaded to its case it is a reply, goes on the timeline and needs attention, and its intent's
/// request is done by <see cref="CaseReplies"/> (held for an operator when it would hurt if forged and the sender is
/// not proven, <see cref="ReplySenderCheck"/>); threaded to no case it is unknown and kept for an operator.
/// </summary>
public sealed class ReplyRecorder(MailThreading threading, ReplySenderCheck senders, CaseReplies replies)
{
    /// <summary>Classifies the row as a reply (or unknown); the reply to act on once the row is saved, or null.</summary>
    public async Task<ThreadedReply?> ThreadAsync(MimeMessage message, InboundMessage row, InboundKind.PersonalMail mail, CancellationToken ct)
    {
        var (c, how) = await threading.ThreadAsync(message, ct);
        if (c is null)
        {
            row.Class = InboundClass.Unknown;
            row.Rule = "no rule matched and no case found (Message-ID, subject tag, sender)";
            row.Detail = "kept for an operator";
            return null;
        }
        row.Class = InboundClass.Reply;
        row.CaseId = c.Id;
        row.Intent = mail.Intent;
        row.Rule = $"threaded by {how}; intent {mail.Intent}" + (mail.Evidence is null ? " (no rule matched)" : $" (matched \"{InboundRows.Cap(mail.Evidence, 100)}\")");
        return new ThreadedReply(c, mail);
    }

    /// <summary>Inside the commit's transaction, once <paramref name="row"/> has its id.</summary>
    public async Task ActAsync(ThreadedReply reply, InboundMessage row, DateTimeOffset now, CancellationToken ct)
    {
        var (c, intent) = (reply.Case, reply.Mail.Intent);
        var trust = await senders.TrustAsync(c, row.FromAddress, reply.Mail.Authenticated, ct);
        var outcome = await replies.ActAsync(c, ReplyIntent.RequestOf(intent), new CaseReply(row.Id, row.MessageId, row.FromAddress, trust), CaseWorkflow.Inbox, now, ct);
        var actions = outcome.Did.ToList();
        if (outcome.Held)
        {
            row.HeldIntent = intent;
            actions.Add($"an operator applies it by setting intent {intent} on reply {row.Id} (PUT /api/inbox/messages/{row.Id}/intent)");
        }
        var done = actions.Count == 0 ? "" : "; " + string.Join("; ", actions);
        row.Detail = $"reply to {c.Reference}, intent {intent}" + done;
        CaseWorkflow.MailReceived(c, CaseEventKind.Reply, $"Reply from {row.FromAddress} ({intent}): \"{row.Subject}\"" + done, true, now);
    }
}
