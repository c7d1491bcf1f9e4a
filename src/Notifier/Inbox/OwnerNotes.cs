using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Intake;
using Notifier.Notices;

namespace Notifier.Inbox;

/// <summary>
/// A note the contact writes to the abuse desk on the owner page, kept as the reply it is: a message synthesised with
/// MimeKit (From the contact, To the desk, In-Reply-To our latest notice to them, <see cref="SourceHeader"/> saying
/// where it came from) and stored as an <see cref="InboundMessage"/> of class reply in the folder
/// <see cref="Folder"/>, which no IMAP mailbox has, so the inbox, the case page and the queue show it as they show a
/// mailed reply. Its intent is classified by the rules a mailed reply's is (<see cref="ReplyIntent.Classify"/>) and
/// acted on by the same code (<see cref="CaseReplies"/>) with the sender proven: only our notice to that address
/// carried the link's token.
/// </summary>
public sealed class OwnerNotes(NotifierDb db, CaseReplies replies, IOptions<NoticesOptions> notices, TimeProvider time)
{
    /// <summary>The longest note: a few paragraphs, not an attachment's worth (the desk reads it on the case page).</summary>
    public const int MaxLength = 4000;

    /// <summary>The <see cref="InboundMessage.Folder"/> of every note: not an IMAP folder, so the inbox never fetches or moves these.</summary>
    public const string Folder = "owner-page";

    /// <summary>Marks the synthesised message as written on the owner page, for anyone reading its headers.</summary>
    public const string SourceHeader = "X-Notifier-Source";

    public const string Subject = "Note from the owner page";

    /// <summary>The note checked as every free text is (<see cref="FreeText.Check"/>, line breaks allowed), and required.</summary>
    public static IntakeError? Check(ref string? text)
    {
        if (FreeText.Check("note", ref text, MaxLength, allowLineBreaks: true) is { } bad) return bad;
        return text is null ? new IntakeError("note", "is required") : null;
    }

    /// <summary>Stores the note as a reply of the link's case and acts on it; the stored row, or the problem with the text.</summary>
    public async Task<(InboundMessage? Note, IntakeError? Error)> AddAsync(OwnerLink link, string? text, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (Check(ref text) is { } bad) return (null, bad);
        var now = time.GetUtcNow();
        var address = await db.CaseContacts.AsNoTracking().Where(x => x.Id == link.CaseContactId).Select(x => x.Address).SingleAsync(ct);
        var latestNotice = await db.Notices.AsNoTracking()
            .Where(n => n.CaseId == link.CaseId && n.CaseContactId == link.CaseContactId && n.MessageId != null && n.SentAt != null)
            .OrderByDescending(n => n.SentAt).Select(n => n.MessageId).FirstOrDefaultAsync(ct);
        var message = Message(address, CaseReference.Format(link.CaseId), latestNotice, text!, now);
        var raw = Bytes(message);
        var (intent, evidence) = ReplyIntent.Classify(message.Subject, text);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One sequence of UIDs in the folder, as a mailbox has; the unique (folder, UIDVALIDITY, UID) index refuses a
        // second note that raced this one to the same number, and the page asks to send it again.
        var uid = (await db.InboundMessages.Where(m => m.Folder == Folder).MaxAsync(m => (long?)m.Uid, ct) ?? 0) + 1;
        var row = InboundRows.Of(message, raw, Convert.ToHexStringLower(SHA256.HashData(raw)), Folder, 1, uid, now);
        row.Class = InboundClass.Reply;
        row.CaseId = link.CaseId;
        row.Intent = intent;
        row.Rule = $"written on the owner page with the link of {CaseReference.Format(link.CaseId)} for {address}; intent {intent}"
            + (evidence is null ? " (no rule matched)" : $" (matched \"{InboundRows.Cap(evidence, 100)}\")");
        db.InboundMessages.Add(row);
        await db.SaveChangesAsync(ct);

        var c = await db.Cases.SingleAsync(x => x.Id == link.CaseId, ct);
        var trust = SenderTrust.Proven("written on the owner page with the link our notice sent to this address");
        var outcome = await replies.ActAsync(c, ReplyIntent.RequestOf(intent), new CaseReply(row.Id, row.MessageId, address, trust), CaseWorkflow.OwnerPageActor(address), now, ct);
        var done = outcome.Did.Count == 0 ? "" : "; " + string.Join("; ", outcome.Did);
        // The note itself, whole, where the case page shows a reply's detail (the timeline line has the first 200 characters).
        row.Detail = $"note to {c.Reference} from the owner page, intent {intent}{done}:\n{text}";
        CaseWorkflow.OwnerNoteReceived(c, address, $"Note from {address} on the owner page ({intent}): \"{FreeText.Summarize(text, 200)}\"{done}", now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (row, null);
    }

    private MimeMessage Message(string address, string reference, string? inReplyTo, string text, DateTimeOffset now)
    {
        var o = notices.Value;
        var message = new MimeMessage
        {
            Date = now,
            Subject = $"[{reference}] {Subject}",
            MessageId = MimeUtils.GenerateMessageId(o.DeskAddress[(o.DeskAddress.LastIndexOf('@') + 1)..]),
            Body = new TextPart("plain") { Text = text },
        };
        message.From.Add(MailboxAddress.Parse(address));
        message.To.Add(MailboxAddress.Parse(o.DeskReplyAddress));
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }
        message.Headers.Add(SourceHeader, "owner-page");
        return message;
    }

    private static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }
}
