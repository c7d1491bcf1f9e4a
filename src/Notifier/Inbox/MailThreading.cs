using Microsoft.EntityFrameworkCore;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Inbox;

/// <summary>
/// The case a message belongs to: a Message-ID we sent (test messages; notices when they exist) in In-Reply-To or
/// References, then the <c>[NR-000123]</c> subject tag, then the sender, when earlier replies from that address
/// were threaded to an open case. (Contacts recorded on the case are not consulted here: that table is built
/// separately; a sender is matched only against replies the inbox already threaded.) Threading says which case a
/// message is about, never that its sender is who it claims: the tag is guessable.
/// </summary>
public sealed class MailThreading(NotifierDb db)
{
    public Task<(Case? Case, string How)> ThreadAsync(MimeMessage message, CancellationToken ct) =>
        ThreadAsync(MessageIdsOf(message), message.Subject, InboundRows.SenderOf(message), ct);

    public async Task<(Case? Case, string How)> ThreadAsync(IReadOnlyList<string> ids, string? subject, string? sender, CancellationToken ct)
    {
        if (ids.Count > 0)
        {
            var caseId = await db.ProbeTestMessages.Where(m => m.MessageId != null && ids.Contains(m.MessageId))
                .Select(m => (int?)m.Probe!.CaseId).FirstOrDefaultAsync(ct);
            if (caseId is not null) return (await db.Cases.FindAsync([caseId.Value], ct), "Message-ID of our test message");
        }
        if (CaseReference.Find(subject) is { } id && await db.Cases.FindAsync([id], ct) is { } tagged)
            return (tagged, $"subject tag {tagged.Reference}");
        if (sender is not null)
        {
            var caseId = await db.InboundMessages.Where(m => m.FromAddress == sender && m.Class == InboundClass.Reply && m.CaseId != null)
                .OrderByDescending(m => m.Id).Select(m => m.CaseId).FirstOrDefaultAsync(ct);
            if (caseId is not null && await db.Cases.FindAsync([caseId.Value], ct) is { } bySender && bySender.State != CaseState.Closed)
                return (bySender, $"sender {sender}, who replied about {bySender.Reference} before");
        }
        return (null, "");
    }

    /// <summary>In-Reply-To, then References, each once.</summary>
    public static List<string> MessageIdsOf(MimeMessage message)
    {
        var ids = new List<string>();
        if (!string.IsNullOrEmpty(message.InReplyTo)) ids.Add(message.InReplyTo);
        ids.AddRange(message.References);
        return ids.Distinct(StringComparer.Ordinal).ToList();
    }
}
