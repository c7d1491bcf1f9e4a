using System.Linq.Expressions;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Notifier.Contacts;
using Notifier.Data;
using Notifier.Jobs;
using Notifier.Notices;
using Notifier.Probing;
using Notifier.Telemetry;

namespace Notifier.Cases;

/// <summary>
/// Sends one notice (enqueued by <see cref="CaseDispatcher"/> for due queued notices). Safe to run any number of
/// times (Hangfire is at-least-once, and the dispatcher re-enqueues rows whose job was lost):
/// <list type="bullet">
/// <item><c>queued</c> and due: paced (<see cref="NoticePacing"/>), then claimed queued → sending with a lease in one
/// transaction; a second copy finds nothing to claim. Built from the database, rendered, signed, handed on, and the
/// outcome recorded with its CaseEvent in one transaction. A first notice takes along the other due first notices to
/// the same address (<see cref="NoticeBatch"/>): one message lists all their relays, and its outcome is each one's.
/// An <see cref="NoticeDeliveryOutcome.Uncertain"/> hand-over (the smarthost accepted the recipient, then the
/// connection failed before it confirmed the message) is recorded as <c>interrupted</c>, never retried.</item>
/// <item><c>sending</c> under a lease that ran out: the process died between the hand-over and recording it, or the
/// send is taking longer than <c>Notices:SendLease</c> + <c>Jobs:LeaseMargin</c>, so it may have gone out. Never
/// resent automatically: it becomes <c>interrupted</c> for an operator (resend through the API). Why: the smarthost
/// may have queued it (or the outbox file been written), and a recipient must not get the same notice twice; an
/// operator can check the smarthost log or the outbox.</item>
/// <item>anything else: nothing to do.</item>
/// </list>
/// The outcome is recorded only while the notice is still <c>sending</c> under this job's own claim (this node, the
/// attempt it claimed). A send that outlasted its lease finds it taken from it (interrupted): a late
/// <see cref="NoticeDeliveryOutcome.Accepted"/> is true news and marks it sent after all (and cancels an operator's
/// resend of it that has not gone out yet); any other late outcome leaves it as it is, so nothing is ever queued
/// again behind the back of the interruption.
/// </summary>
public sealed class NoticeJob(
    NotifierDb db,
    NoticePacing pacing,
    NoticeSuppressions suppressions,
    NoticeFailover failover,
    NoticeBatch batch,
    NoticeModelFactory models,
    NoticeMailFactory mails,
    NoticeRenderer renderer,
    NoticeMessageBuilder builder,
    INoticeSender sender,
    OwnerLinks ownerLinks,
    ProbeTokenKey tokenKey,
    TimeProvider time,
    IOptions<NoticePolicyOptions> policy,
    IOptions<RetestOptions> retests,
    IOptions<ProbingOptions> probing,
    IOptions<JobsOptions> jobs,
    NotifierMetrics metrics,
    ILogger<NoticeJob> log)
{
    /// <summary>Tests only: runs after the hand-over, before the outcome is recorded (a crash between send and commit).</summary>
    internal Func<Task>? AfterSend { get; set; }

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long noticeId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await db.Notices.AsNoTracking().Where(n => n.Id == noticeId)
            .Select(n => new { n.State, n.LeaseUntil, n.NextAttemptAt, n.Recipient, CaseState = n.Case!.State }).SingleOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            log.LogInformation("Notice {NoticeId} does not exist: nothing to do", noticeId);
            return;
        }
        if (row.State == NoticeState.Sending && (row.LeaseUntil is null || row.LeaseUntil < now))
        {
            await InterruptedAsync(noticeId, now, cancellationToken);
            return;
        }
        if (row.State != NoticeState.Queued || row.NextAttemptAt > now)
        {
            log.LogInformation("Notice {NoticeId} is {State} (due {Due}): nothing to do now", noticeId, row.State, row.NextAttemptAt);
            return;
        }
        if (await ClaimAsync(noticeId, row.Recipient, now, cancellationToken) is not { } claim) return;

        var n = await db.Notices.AsNoTracking().SingleAsync(x => x.Id == noticeId, cancellationToken);
        MimeMessage message;
        string returnPath;
        try
        {
            (message, returnPath) = await BuildAsync(n, now, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing was handed on, so this is no interruption: the notice cannot be built (a template or data
            // problem a person must look at), and retrying would fail the same way.
            log.LogError(e, "Notice {NoticeId} could not be built", noticeId);
            await RecordAsync(noticeId, claim, null, $"could not be built: {e.GetType().Name}: {e.Message}", cancellationToken);
            return;
        }
        NoticeDelivery delivery;
        try
        {
            delivery = await sender.SendAsync(message, returnPath, n.Recipient, cancellationToken);
        }
        catch (Exception e) when (e is IOException or TimeoutException or System.Net.Sockets.SocketException && !cancellationToken.IsCancellationRequested)
        {
            // The sender reports what it can as a Deferred delivery; an I/O failure it lets through is one too, so the
            // notice is retried with backoff rather than left claimed.
            delivery = new NoticeDelivery(NoticeDeliveryOutcome.Deferred, $"{e.GetType().Name}: {e.Message}");
        }
        if (AfterSend is not null) await AfterSend();
        await RecordAsync(noticeId, claim, delivery, null, cancellationToken);
    }

    /// <summary>Whose the notice is while it is sending: the node and the attempt number it was claimed with.</summary>
    private readonly record struct SendClaim(string Owner, int Attempts);

    /// <summary>
    /// Takes the notice row for the rest of this transaction while it still meets <paramref name="still"/> (one
    /// conditional UPDATE, <see cref="RowLock"/>): every check-then-write of this job starts with it, so that on
    /// PostgreSQL two nodes cannot both pass the check (READ COMMITTED lets both read it before either writes).
    /// </summary>
    private async Task<bool> TakeAsync(long noticeId, Expression<Func<Notice, bool>> still, CancellationToken ct) =>
        await db.Notices.Where(x => x.Id == noticeId).Where(still).TakeAsync(x => x.State, ct) == 1;

    /// <summary>
    /// Pacing and the claim in one transaction (SQLite: <c>BEGIN IMMEDIATE</c>, so a concurrent claim waits and then
    /// counts this one; elsewhere the row is taken first, so a concurrent claim of it waits and then finds it no longer
    /// queued). Cancels instead when the case closed or a suppression now covers the recipient. The claim made, or
    /// null when there was none.
    /// </summary>
    /// <remarks>
    /// On a server database the claims of notices to one recipient domain are serialised before anything else
    /// (<see cref="NotifierDb.TakeNamedLockAsync"/>): the row lock alone keeps a notice from being claimed twice, but
    /// two claims of different notices to one domain would each count the domain's sends without the other's and both
    /// take the daily budget's last unit, and two first notices to one address would each fold the other into their
    /// batch and deadlock (each holding its own row, waiting for the other's). In this order a claim counts every
    /// claim before it, and the second carrier finds its notice carried already.
    /// </remarks>
    private async Task<SendClaim?> ClaimAsync(long noticeId, string recipient, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.TakeNamedLockAsync("notices-to:" + ContactAddress.DomainOf(recipient), ct);
        if (!await TakeAsync(noticeId, x => x.State == NoticeState.Queued, ct)) return null;
        var n = await db.Notices.Include(x => x.Case).SingleAsync(x => x.Id == noticeId, ct);
        var c = n.Case!;
        string? moot = c.State == CaseState.Closed ? "the case is closed" : null;
        if (moot is null && await suppressions.FindAsync(n.Recipient, ct) is { } s) moot = $"{n.Recipient} is suppressed ({s.Value}: {s.Reason})";
        if (moot is not null)
        {
            var other = await db.Notices.AnyAsync(x => x.CaseId == c.Id && x.Id != n.Id
                && (x.State == NoticeState.AwaitingApproval || x.State == NoticeState.Queued || x.State == NoticeState.Sending), ct);
            CaseWorkflow.CancelNotice(c, n, CaseWorkflow.System, moot, other, now);
            if (c.State != CaseState.Closed) await failover.NextAsync(c, n, $"{n.Recipient} suppressed", now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            log.LogInformation("Notice {NoticeId} cancelled: {Why}", noticeId, moot);
            return null;
        }
        if (await pacing.WaitAsync(n, c.RelayKey, now, ct) is { } wait)
        {
            CaseWorkflow.NoticePostponed(n, wait.Until, wait.Why);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            log.LogInformation("Notice {NoticeId} waits until {Until}: {Why}", noticeId, wait.Until, wait.Why);
            return null;
        }
        n.State = NoticeState.Sending;
        n.Attempts++;
        n.LeaseOwner = jobs.Value.NodeName;
        n.LeaseUntil = now + policy.Value.SendLease + jobs.Value.LeaseMargin;
        n.MessageId = NoticeMailFactory.MessageIdFor(n.Id, mails.Domain);
        var folded = await batch.FoldAsync(n, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        if (folded.Count > 0)
            log.LogInformation("Notice {NoticeId} to {Recipient} carries {Count} further notices: {Carried}", noticeId, n.Recipient, folded.Count, folded.Select(x => x.Id).ToList());
        return new SendClaim(n.LeaseOwner, n.Attempts);
    }

    /// <summary>The signed message and its VERP return path, built from the database as it is now.</summary>
    private async Task<(MimeMessage Message, string ReturnPath)> BuildAsync(Notice n, DateTimeOffset now, CancellationToken ct)
    {
        var ownerPage = n.CaseContactId is { } contactId ? await ownerLinks.CreateAsync(n.CaseId, contactId, now, ct) : null;
        await db.SaveChangesAsync(ct);
        var kind = Enum.Parse<NoticeKind>(n.Kind);
        var covered = await db.Notices.AsNoTracking().Where(x => x.CarriedByNoticeId == n.Id && x.State == NoticeState.Sending)
            .OrderBy(x => x.Id).Select(x => x.CaseId).ToListAsync(ct);
        var draft = await models.BuildAsync(n.CaseId, n.Recipient, kind, n.Language, ownerPage, now, ct, covered);
        var rendered = await renderer.RenderAsync(draft.Model, ct);
        var earlier = await db.Notices.AsNoTracking()
            .Where(x => x.CaseId == n.CaseId && x.Recipient == n.Recipient && x.State == NoticeState.Sent && x.MessageId != null)
            .OrderBy(x => x.SentAt).Select(x => x.MessageId!).ToListAsync(ct);
        var message = builder.Build(mails.Create(n, draft, rendered, earlier));
        var returnPath = new VerpAddress(VerpAddress.Notice, n.Id, probing.Value.SenderDomainOrCanary()).Format(VerpAddress.KeyFrom(tokenKey));
        await db.Notices.Where(x => x.Id == n.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.Language, draft.Model.Language), ct);
        return (message, returnPath);
    }

    /// <summary>
    /// The outcome with its CaseEvent in one transaction: a delivery, or (null) why the notice could not be built.
    /// Only while <paramref name="claim"/> still holds the notice; otherwise <see cref="RecordLateAsync"/>.
    /// </summary>
    private async Task RecordAsync(long noticeId, SendClaim claim, NoticeDelivery? delivery, string? notBuilt, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var (owner, attempts) = claim;
        var holds = await TakeAsync(noticeId, x => x.State == NoticeState.Sending && x.LeaseOwner == owner && x.Attempts == attempts, ct);
        var n = await db.Notices.Include(x => x.Case).SingleAsync(x => x.Id == noticeId, ct);
        var c = n.Case!;
        if (!holds)
        {
            await RecordLateAsync(n, delivery, notBuilt, now, ct);
            await tx.CommitAsync(ct);
            return;
        }
        var carried = await batch.CarriedAsync(n, NoticeState.Sending, ct);
        if (delivery is null)
        {
            CaseWorkflow.NoticeNotBuilt(c, n, notBuilt!, now);
            foreach (var x in carried) CaseWorkflow.NoticeReleased(x.Case!, x, n, "could not be built", now, now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return;
        }
        switch (delivery.Outcome)
        {
            case NoticeDeliveryOutcome.Accepted:
                Sent(n, carried, delivery.Location ?? delivery.Detail, now);
                break;
            case NoticeDeliveryOutcome.Uncertain:
                // The smarthost may have queued it: never retried by itself, for the carried notices neither (one message).
                Interrupted(n, carried, delivery.Detail, now);
                break;
            case NoticeDeliveryOutcome.Rejected:
                // The recipient refused the one message, so every case it spoke for fails over to its own next contact.
                await failover.FailOverAsync(c, n, delivery.Detail, null, now, ct);
                foreach (var x in carried) await failover.FailOverAsync(x.Case!, x, $"inside notice {n.Id}: {delivery.Detail}", null, now, ct);
                break;
            default:
                CaseWorkflow.NoticeDeferred(c, n, delivery.Detail, RetryDelay(n.Attempts), policy.Value.MaxAttempts, now);
                foreach (var x in carried) CaseWorkflow.NoticeReleased(x.Case!, x, n, $"was deferred ({delivery.Detail})", n.NextAttemptAt ?? now, now);
                break;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        log.LogInformation("Notice {NoticeId} ({Kind}) to {Recipient} via {Transport}: {Outcome} {Detail}",
            noticeId, n.Kind, n.Recipient, sender.Name, delivery.Outcome, delivery.Detail);
        // One message, but each carried notice is sent with it (CaseWorkflow.NoticeCarried).
        if (delivery.Outcome == NoticeDeliveryOutcome.Accepted) metrics.NoticeSent(n.Kind, sender.Name, 1 + carried.Count);
    }

    /// <summary>
    /// The hand-over came back after the notice was taken from this job's claim: its lease ran out during the send,
    /// and the dispatcher (or another copy of this job) recorded it interrupted; since then an operator may have
    /// resent it (a new notice replacing it) or closed the case. Only a late Accepted changes anything, and only an
    /// interrupted notice: we know it went out, so it is sent (with the notices it carried), and a resend of it that
    /// has not gone out yet is cancelled, or the recipient would get it twice. Anything else (deferred, rejected,
    /// uncertain, not built) leaves the notice as it is: requeueing it could send it a second time.
    /// </summary>
    private async Task RecordLateAsync(Notice n, NoticeDelivery? delivery, string? notBuilt, DateTimeOffset now, CancellationToken ct)
    {
        if (delivery?.Outcome != NoticeDeliveryOutcome.Accepted || n.State != NoticeState.Interrupted
            || !await TakeAsync(n.Id, x => x.State == NoticeState.Interrupted, ct))
        {
            log.LogWarning("Notice {NoticeId} to {Recipient} is {State} (no longer this job's: its lease ran out during the send); the late outcome is not recorded: {Outcome} {Detail}",
                n.Id, n.Recipient, n.State, delivery?.Outcome.ToString() ?? "not built", delivery?.Detail ?? notBuilt);
            return;
        }
        await db.Entry(n).ReloadAsync(ct);
        var detail = $"{delivery.Location ?? delivery.Detail} (confirmed after the notice had been marked interrupted: the send outlasted its lease)";
        var carried = await batch.CarriedAsync(n, NoticeState.Interrupted, ct);
        Sent(n, carried, detail, now);
        var told = carried.Select(x => x.Id).Append(n.Id).ToList();
        var resends = await db.Notices.Include(x => x.Case)
            .Where(x => x.ReplacesNoticeId != null && told.Contains(x.ReplacesNoticeId.Value) && x.Recipient == n.Recipient
                && (x.State == NoticeState.AwaitingApproval || x.State == NoticeState.Queued)).ToListAsync(ct);
        // otherUnderWay: true, so the case is not moved: the notice just recorded sent has moved it already.
        foreach (var r in resends)
            CaseWorkflow.CancelNotice(r.Case!, r, CaseWorkflow.System, $"notice {r.ReplacesNoticeId} it resends went out after all (confirmed after it was marked interrupted)", otherUnderWay: true, now);
        await db.SaveChangesAsync(ct);
        log.LogWarning("Notice {NoticeId} to {Recipient} was marked interrupted while still sending; the smarthost accepted it after all, so it is sent ({Carried} carried, {Resends} pending resends cancelled): {Detail}",
            n.Id, n.Recipient, carried.Count, resends.Count, delivery.Detail);
        metrics.NoticeSent(n.Kind, sender.Name, 1 + carried.Count);
    }

    private async Task InterruptedAsync(long noticeId, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await TakeAsync(noticeId, x => x.State == NoticeState.Sending && (x.LeaseUntil == null || x.LeaseUntil < now), ct)) return;
        var n = await db.Notices.Include(x => x.Case).SingleAsync(x => x.Id == noticeId, ct);
        const string why = "its send lease ran out before the outcome was recorded";
        Interrupted(n, await batch.CarriedAsync(n, NoticeState.Sending, ct), why, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        log.LogWarning("Notice {NoticeId} to {Recipient} was interrupted mid-send; not resent automatically", noticeId, n.Recipient);
    }

    /// <summary>The message went out: the notice is sent, and each notice it carried with it.</summary>
    private void Sent(Notice n, IReadOnlyList<Notice> carried, string detail, DateTimeOffset now)
    {
        CaseWorkflow.NoticeSent(n.Case!, n, sender.Name, detail, retests.Value, now);
        foreach (var x in carried) CaseWorkflow.NoticeCarried(x.Case!, x, n, n.Case!.Reference, sender.Name, detail, retests.Value, now);
    }

    /// <summary>The message may have gone out: the notice is interrupted, and so is each notice it carried (they were in it).</summary>
    private static void Interrupted(Notice n, IReadOnlyList<Notice> carried, string why, DateTimeOffset now)
    {
        CaseWorkflow.NoticeInterrupted(n.Case!, n, why, now);
        foreach (var x in carried) CaseWorkflow.NoticeInterrupted(x.Case!, x, $"inside notice {n.Id}: {why}", now);
    }

    public TimeSpan RetryDelay(int attempts) => Backoff.Delay(attempts, policy.Value.RetryBaseDelay, policy.Value.RetryMaxDelay);
}
