using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Telemetry;

namespace Notifier.Inbox;

/// <summary>
/// One fetched message, stored and acted on in one transaction with its <see cref="InboundMessage"/>: what it is is
/// decided from the message alone (<see cref="InboundKind"/>), then the recorder of that kind asks Cases to record
/// it. A message already stored (same folder, UIDVALIDITY and UID, or same Message-ID and bytes) is returned as it
/// is, so a message fetched again after a crash is never acted on twice. A canary that outran its probe's record is
/// left for a later poll (<see cref="CanaryRecorder.OutranItsProbeAsync"/>). Everything about one message travels in
/// locals and return values: the processor is scoped, and a field would carry one message's state into the next.
/// </summary>
public sealed class InboxProcessor(
    NotifierDb db,
    CanaryRecorder canaries,
    BounceRecorder bounces,
    ComplaintRecorder complaints,
    AutoReplyRecorder autoReplies,
    ReplyRecorder replies,
    IOptions<InboxOptions> inbox,
    TimeProvider time,
    NotifierMetrics metrics,
    ILogger<InboxProcessor> log)
{
    /// <summary>Tests only: runs after classification, before the commit (a crash between fetch and commit).</summary>
    internal Func<InboundMessage, Task>? BeforeCommit { get; set; }

    /// <returns>
    /// The stored row (or the one stored before: <c>AlreadyProcessed</c>); with <c>LeftForLater</c> a row that is not
    /// stored, for a message to stay in the folder and be read again on the next poll.
    /// </returns>
    public async Task<(InboundMessage Message, bool AlreadyProcessed, bool LeftForLater)> ProcessAsync(byte[] raw, string folder, long uidValidity, long uid, CancellationToken ct)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(raw));
        var existing = await db.InboundMessages.AsNoTracking()
            .FirstOrDefaultAsync(m => m.Folder == folder && m.UidValidity == uidValidity && m.Uid == uid, ct);
        if (existing is not null) return (existing, true, false);

        var now = time.GetUtcNow();
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(raw, writable: false);
            message = await MimeMessage.LoadAsync(stream, ct);
        }
        catch (FormatException e)
        {
            var bad = InboundRows.Unparseable(raw, sha, folder, uidValidity, uid, now, e.Message);
            db.InboundMessages.Add(bad);
            await CommitAsync(bad, null, null, now, ct);
            return (bad, false, false);
        }

        if (InboundRows.MessageIdOf(message) is { } messageId)
        {
            // The same message again under a new UID (UIDVALIDITY changed, or it was copied back): already handled.
            var same = await db.InboundMessages.AsNoTracking().FirstOrDefaultAsync(m => m.MessageId == messageId && m.Sha256 == sha, ct);
            if (same is not null) return (same, true, false);
        }

        var row = InboundRows.Of(message, raw, sha, folder, uidValidity, uid, now);
        var kind = InboundKind.Of(message, raw.Length, inbox.Value);
        if (kind is InboundKind.Canary early && await canaries.OutranItsProbeAsync(early.Token, ct))
        {
            log.LogInformation("Inbox message {Uid} ({MessageId}) is a canary whose probe is still being recorded; left for the next poll", uid, row.MessageId);
            return (row, false, true);
        }
        db.InboundMessages.Add(row);
        ProbeTestMessage? arrived = null;
        ThreadedReply? reply = null;
        switch (kind)
        {
            case InboundKind.TooLarge k:
                row.Class = InboundClass.TooLarge;
                row.Rule = $"cut at Inbox:MaxMessageBytes ({k.Limit} bytes)";
                row.Detail = "too large to read whole: stored truncated for an operator, nothing done";
                break;
            case InboundKind.Canary k:
                arrived = await canaries.RecordAsync(message, row, k.Token, now, ct);
                break;
            case InboundKind.Complaint k:
                await complaints.RecordAsync(row, k.Rule, k.Report, now, ct);
                break;
            case InboundKind.Bounce k:
                await bounces.RecordAsync(message, row, k.Report, now, ct);
                break;
            case InboundKind.AutoReply k:
                await autoReplies.RecordAsync(message, row, k.Rule, now, ct);
                break;
            case InboundKind.PersonalMail k:
                reply = await replies.ThreadAsync(message, row, k, ct);
                break;
        }

        await CommitAsync(row, arrived, reply, now, ct);
        // The probe's verdict after the arrival: confirmed or multihop (CanaryRecorder, CaseWorkflow.Confirm).
        if (arrived is { SentAt: { } sentAt, Probe: { } probe }) metrics.CanaryArrived(probe.Verdict ?? "", now - sentAt);
        if (reply is not null) metrics.ReplyReceived(reply.Mail.Intent);
        log.LogInformation("Inbox message {Uid} ({MessageId}) classified {Class}: {Detail}", uid, row.MessageId, row.Class, row.Detail);
        return (row, false, false);
    }

    /// <summary>
    /// Saves the row first (inside the transaction), so that what links to it gets its id: the arrived test message,
    /// and the suppression a reply's opt-out adds (an operator who changes that reply's intent takes back exactly it).
    /// </summary>
    private async Task CommitAsync(InboundMessage row, ProbeTestMessage? arrived, ThreadedReply? reply, DateTimeOffset now, CancellationToken ct)
    {
        if (BeforeCommit is not null) await BeforeCommit(row);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        if (arrived is not null) arrived.InboundMessageId = row.Id;
        if (reply is not null) await replies.ActAsync(reply, row, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
