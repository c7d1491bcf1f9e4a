using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Inbox;

/// <summary>
/// An operator files inbound mail the inbox placed nowhere (class unknown, or threaded to no case) onto a case: the
/// one implementation behind <c>PUT /api/inbox/messages/{id}/case</c> and the dashboard's inbox. The message gets the
/// case, the timeline says who filed it (<see cref="CaseWorkflow.MailFiled"/>), and a person's mail becomes a reply
/// of that case whose intent is acted on exactly as when the inbox threads one (<see cref="ReplyRecorder.ActAsync"/>:
/// the same sender check, so an opt-out from an unproven sender is held for an operator, not applied).
/// Mail already on a case is refused: moving it would have to undo what it did there.
/// </summary>
public sealed class InboxFiling(NotifierDb db, ReplyRecorder replies, IOptions<InboxOptions> inbox, TimeProvider time, IBackgroundJobClient jobs)
{
    public enum Problem
    {
        None,
        MessageNotFound,
        CaseNotFound,
        AlreadyFiled,
        CaseChanged,
    }

    /// <summary>What filing did: the message and its case, or the problem in words.</summary>
    public sealed record Outcome(Problem Problem, string? Error, InboundMessage? Message, Case? Case)
    {
        public bool Filed => Problem == Problem.None;
    }

    public async Task<Outcome> FileAsync(long messageId, int caseId, string actor, CancellationToken ct)
    {
        var m = await db.InboundMessages.SingleOrDefaultAsync(x => x.Id == messageId, ct);
        if (m is null) return new(Problem.MessageNotFound, $"there is no inbound message {messageId}", null, null);
        if (m.CaseId is { } filed)
            return new(Problem.AlreadyFiled, $"message {messageId} is on {CaseReference.Format(filed)} already; mail is filed once", m, null);
        var c = await db.Cases.SingleOrDefaultAsync(x => x.Id == caseId, ct);
        if (c is null) return new(Problem.CaseNotFound, $"there is no case {CaseReference.Format(caseId)}", m, null);

        var now = time.GetUtcNow();
        var mail = m.Class == InboundClass.Unknown ? await PersonalMailAsync(m, ct) : null;
        m.CaseId = c.Id;
        m.Rule = InboundRows.Cap($"{m.Rule}; filed onto {c.Reference} by {actor}", 4000);
        var what = mail is null ? $"{m.Class} mail" : $"a reply ({mail.Intent})";
        CaseWorkflow.MailFiled(c, actor, $"Mail {m.Id} from {m.FromAddress ?? "no sender"} filed here as {what}: \"{m.Subject}\"", now);
        if (mail is not null)
        {
            // As ReplyRecorder.ThreadAsync classifies a threaded person's mail; the operator did the threading.
            m.Class = InboundClass.Reply;
            m.Intent = mail.Intent;
            m.Rule = InboundRows.Cap($"{m.Rule}; intent {mail.Intent}" + (mail.Evidence is null ? " (no rule matched)" : $" (matched \"{InboundRows.Cap(mail.Evidence, 100)}\")"), 4000);
        }
        else
        {
            m.Detail = InboundRows.Cap($"{m.Detail}; filed onto {c.Reference} by {actor}", 4000);
        }
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (mail is not null) await replies.ActAsync(new ThreadedReply(c, mail), m, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new(Problem.CaseChanged, $"case {c.Reference} changed meanwhile; try again", m, c);
        }
        // A "fixed" reply made a retest due now: start it in seconds rather than at the dispatcher's next tick.
        if (c.NextActionAt <= now) CaseDispatcher.Nudge(jobs);
        return new(Problem.None, null, m, c);
    }

    /// <summary>
    /// The stored message read again as the inbox reads it (<see cref="InboundKind.Of"/>): a person's mail, or null
    /// when it is something else or cannot be parsed (then it is filed as evidence only).
    /// </summary>
    private async Task<InboundKind.PersonalMail?> PersonalMailAsync(InboundMessage m, CancellationToken ct)
    {
        try
        {
            using var stream = new MemoryStream(m.Raw, writable: false);
            var message = await MimeMessage.LoadAsync(stream, ct);
            return InboundKind.Of(message, m.Raw.Length, inbox.Value) as InboundKind.PersonalMail;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
