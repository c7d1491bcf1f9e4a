using System.Globalization;

namespace Notifier.Cases;

/// <summary>
/// The notice steps of the case state machine: a notice planned, approved, sent, refused, retried, interrupted or
/// cancelled, and what each means for the case (Notifying while a notice is under way, Monitoring once one was
/// sent, needs attention when no contact works). Pure, like the other phases: the callers load and save.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>
    /// A notice to <paramref name="recipient"/> is planned. Queued at once (due <paramref name="dueAt"/>) when
    /// <paramref name="approvedBy"/> is given, else it waits for an operator. A first notice of a proven relay
    /// (Confirmed, or Unconfirmed on an operator's word) and any notice about a reopened relay move the case to
    /// Notifying; follow-ups (StillOpen, Reminder, Resolved, Escalation) and a failover's first notice leave its state.
    /// </summary>
    public static Notice PlanNotice(Case c, string kind, string recipient, long? caseContactId, string? approvedBy, long? replaces,
        DateTimeOffset dueAt, string actor, string why, DateTimeOffset now)
    {
        var n = new Notice
        {
            CaseId = c.Id,
            Case = c,
            CaseContactId = caseContactId,
            Recipient = recipient,
            Kind = kind,
            CaseStateAtPlan = c.State,
            CreatedAt = now,
            State = approvedBy is null ? NoticeState.AwaitingApproval : NoticeState.Queued,
            ApprovedBy = approvedBy,
            ApprovedAt = approvedBy is null ? null : now,
            NextAttemptAt = approvedBy is null ? null : dueAt,
            ReplacesNoticeId = replaces,
        };
        if (dueAt > now) n.LastError = why;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.NoticePlanned,
            $"{kind} to {recipient} planned" + (approvedBy is null ? ", awaiting approval" : $", queued (approved by {approvedBy})")
            + (dueAt > now ? string.Create(CultureInfo.InvariantCulture, $"; not before {dueAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {why}") : $": {why}"), null));
        var starts = (kind == nameof(Notifier.Notices.NoticeKind.FirstNotice) && c.State is CaseState.Confirmed or CaseState.Unconfirmed) || c.State == CaseState.Reopened;
        if (starts) Move(c, CaseState.Notifying, actor, now, $"{kind} to {recipient} planned");
        return n;
    }

    /// <summary>No notice is planned (nobody to write to, a suppression, an unconfirmed relay): why, on the timeline.</summary>
    public static void NoticeNotPlanned(Case c, string why, bool needsAttention, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        if (needsAttention) c.NeedsAttention = true;
        c.Events.Add(Event(now, System, CaseEventKind.NoticeNotPlanned, $"No notice: {why}", null));
    }

    /// <summary>An operator approves a notice awaiting approval: queued, due now.</summary>
    public static void ApproveNotice(Case c, Notice n, string actor, DateTimeOffset now)
    {
        n.State = NoticeState.Queued;
        n.ApprovedBy = actor;
        n.ApprovedAt = now;
        n.NextAttemptAt = now;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.NoticeApproved, $"{n.Kind} {n.Id} to {n.Recipient} approved", null));
    }

    /// <summary>
    /// A notice is cancelled (by an operator, or because a suppression or the closed case makes it moot). The case
    /// stays Notifying only while another notice is under way; otherwise it is proven and waits for an operator.
    /// </summary>
    public static void CancelNotice(Case c, Notice n, string actor, string why, bool otherUnderWay, DateTimeOffset now)
    {
        n.State = NoticeState.Cancelled;
        n.NextAttemptAt = null;
        n.LastError = why;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.NoticeCancelled, $"{n.Kind} {n.Id} to {n.Recipient} cancelled: {why}", null));
        if (!otherUnderWay && c.State == CaseState.Notifying) Move(c, NotNotifying(c), actor, now, "no notice under way any more");
    }

    /// <summary>The notice must wait (the recipient domain's daily budget is spent): due again at <paramref name="until"/>.</summary>
    public static void NoticePostponed(Notice n, DateTimeOffset until, string why)
    {
        n.NextAttemptAt = until;
        n.LastError = why;
    }

    /// <summary>
    /// A case that stops being notified with nothing sent: back to Confirmed when it was never told, else (a reopened
    /// relay's notice cancelled) to Monitoring, where its retests go on.
    /// </summary>
    private static string NotNotifying(Case c) => c.FirstNoticeAt is null ? CaseState.Confirmed : CaseState.Monitoring;

    /// <summary>
    /// The smarthost took the notice (or the outbox file is written): sent. A notice that started the notifying
    /// (a first notice, a reopened relay's notice) moves the case to Monitoring; the first one ever starts the
    /// retest schedule. Follow-ups leave the state as it is (a Resolved thank-you keeps Resolved).
    /// </summary>
    public static void NoticeSent(Case c, Notice n, string transport, string detail, RetestOptions retests, DateTimeOffset now)
    {
        HandedOver(c, n, NoticeState.Sent, transport, detail, now);
        c.Events.Add(Event(now, System, CaseEventKind.NoticeSent, $"{n.Kind} {n.Id} sent to {n.Recipient} via {transport} (Message-ID <{n.MessageId}>): {detail}", null));
        NoticeOut(c, n, retests, now, $"{n.Kind} sent to {n.Recipient}");
    }

    /// <summary>What a notice that went out records, on its own (sent) or inside another's message (carried).</summary>
    private static void HandedOver(Case c, Notice n, string state, string transport, string detail, DateTimeOffset now)
    {
        n.State = state;
        n.SentAt = now;
        n.Transport = transport;
        n.DeliveryDetail = detail;
        n.LastError = null;
        n.LeaseOwner = null;
        n.LeaseUntil = null;
        n.NextAttemptAt = null;
        c.UpdatedAt = now;
    }

    private static void NoticeOut(Case c, Notice n, RetestOptions retests, DateTimeOffset now, string why)
    {
        if (c.State is CaseState.Notifying or CaseState.Reopened) Move(c, CaseState.Monitoring, System, now, why);
        FirstNoticeOut(c, retests, now);
    }

    /// <summary>
    /// Batching: <paramref name="covered"/> goes out inside <paramref name="carrier"/>'s message, which was just claimed:
    /// under the carrier's lease, so it is neither claimed on its own nor (the lease running out) resent.
    /// </summary>
    public static void NoticeFolded(Notice carrier, Notice covered)
    {
        covered.State = NoticeState.Sending;
        covered.CarriedByNoticeId = carrier.Id;
        covered.Attempts++;
        covered.LeaseOwner = carrier.LeaseOwner;
        covered.LeaseUntil = carrier.LeaseUntil;
    }

    /// <summary>
    /// The message of <paramref name="carrier"/> that carried <paramref name="n"/> went out: the case is told as if
    /// its own notice had been sent (monitored from now), and the notice says it went out inside the carrier.
    /// </summary>
    public static void NoticeCarried(Case c, Notice n, Notice carrier, string carrierReference, string transport, string detail, RetestOptions retests, DateTimeOffset now)
    {
        HandedOver(c, n, NoticeState.Carried, transport, detail, now);
        c.Events.Add(Event(now, System, CaseEventKind.NoticeSent,
            $"{n.Kind} {n.Id} sent to {n.Recipient} inside notice {carrier.Id} of {carrierReference} (one message for several relays, Message-ID <{carrier.MessageId}>) via {transport}: {detail}", null));
        NoticeOut(c, n, retests, now, $"{n.Kind} sent to {n.Recipient} inside notice {carrier.Id}");
    }

    /// <summary>
    /// The carrying message did not go out now (deferred, or it could not be built): <paramref name="n"/> is queued
    /// again on its own, due at <paramref name="dueAt"/>, and the next claim folds afresh.
    /// </summary>
    public static void NoticeReleased(Case c, Notice n, Notice carrier, string why, DateTimeOffset dueAt, DateTimeOffset now)
    {
        n.State = NoticeState.Queued;
        n.CarriedByNoticeId = null;
        n.LeaseOwner = null;
        n.LeaseUntil = null;
        n.NextAttemptAt = dueAt;
        n.LastError = $"was to go out inside notice {carrier.Id}, which {why}";
        c.UpdatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.NoticeDeferred,
            string.Create(CultureInfo.InvariantCulture, $"{n.Kind} {n.Id} to {n.Recipient} was to go out inside notice {carrier.Id}, which {why}; queued again for {dueAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC"), null));
    }

    /// <summary>
    /// The recipient refused the notice for good (5xx at hand-over, or a DSN later). The failover to the next
    /// contact is planned by the caller with <see cref="PlanNotice"/>, or <see cref="NoWorkingContact"/> follows.
    /// </summary>
    public static void NoticeRejected(Case c, Notice n, string detail, DateTimeOffset now)
    {
        n.State = NoticeState.Rejected;
        n.LastError = detail;
        n.LeaseOwner = null;
        n.LeaseUntil = null;
        n.NextAttemptAt = null;
        c.UpdatedAt = now;
        c.Events.Add(Event(now, System, CaseEventKind.NoticeRejected, $"{n.Kind} {n.Id} to {n.Recipient} refused: {detail}", null));
    }

    /// <summary>Every ranked contact failed: the case says so and needs a person (a manual contact, or closing it).</summary>
    public static void NoWorkingContact(Case c, string detail, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.NeedsAttention = true;
        c.Events.Add(Event(now, System, CaseEventKind.NoticeNotPlanned, $"No working contact: {detail}", null));
        if (c.State == CaseState.Notifying) Move(c, NotNotifying(c), System, now, "no working contact");
    }

    /// <summary>
    /// A temporary failure (4xx, the smarthost down, a full outbox disk): queued again after <paramref name="delay"/>,
    /// or failed for an operator once <paramref name="maxAttempts"/> hand-overs failed.
    /// </summary>
    public static void NoticeDeferred(Case c, Notice n, string detail, TimeSpan delay, int maxAttempts, DateTimeOffset now)
    {
        n.LeaseOwner = null;
        n.LeaseUntil = null;
        n.LastError = detail;
        c.UpdatedAt = now;
        if (n.Attempts >= maxAttempts)
        {
            n.State = NoticeState.Failed;
            n.NextAttemptAt = null;
            c.NeedsAttention = true;
            c.Events.Add(Event(now, System, CaseEventKind.NoticeFailed, $"{n.Kind} {n.Id} to {n.Recipient} failed {n.Attempts} times, given up: {detail}", null));
            return;
        }
        n.State = NoticeState.Queued;
        n.NextAttemptAt = now + delay;
        c.Events.Add(Event(now, System, CaseEventKind.NoticeDeferred,
            string.Create(CultureInfo.InvariantCulture, $"{n.Kind} {n.Id} to {n.Recipient} deferred (attempt {n.Attempts} of {maxAttempts}), retry at {n.NextAttemptAt.Value.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {detail}"), null));
    }

    /// <summary>The notice could not be built (a template or data problem): nothing was sent; failed, for a person.</summary>
    public static void NoticeNotBuilt(Case c, Notice n, string detail, DateTimeOffset now)
    {
        n.State = NoticeState.Failed;
        n.LeaseOwner = null;
        n.LeaseUntil = null;
        n.NextAttemptAt = null;
        n.LastError = detail;
        c.UpdatedAt = now;
        c.NeedsAttention = true;
        c.Events.Add(Event(now, System, CaseEventKind.NoticeFailed, $"{n.Kind} {n.Id} to {n.Recipient} was not sent: it {detail}", null));
    }

    /// <summary>
    /// A notice may have gone out and nobody knows: found sending after its lease ran out (the process died, or the
    /// send outlasted the lease, between handing it on and recording that), or the smarthost accepted the recipient
    /// and the connection then failed before it confirmed the message (<see cref="Notifier.Notices.NoticeDeliveryOutcome.Uncertain"/>).
    /// Not resent automatically (a recipient must not get it twice); an operator checks the smarthost log or the
    /// outbox and resends through the API if it did not go out. <paramref name="why"/> says which of the two it was.
    /// </summary>
    public static void NoticeInterrupted(Case c, Notice n, string why, DateTimeOffset now)
    {
        n.State = NoticeState.Interrupted;
        n.LeaseOwner = null;
        n.LeaseUntil = null;
        n.NextAttemptAt = null;
        n.LastError = $"interrupted mid-send ({why}): it may have been sent; not resent automatically (resend through the API if it was not)";
        c.UpdatedAt = now;
        c.NeedsAttention = true;
        c.Events.Add(Event(now, System, CaseEventKind.NoticeFailed, $"{n.Kind} {n.Id} to {n.Recipient} was interrupted mid-send ({why}): it may have been sent; an operator decides whether to resend", null));
    }
}
