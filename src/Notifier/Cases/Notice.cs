namespace Notifier.Cases;

/// <summary>
/// One notice to one contact about one case: planned, approved, claimed, sent (or refused, deferred, cancelled).
/// The row is the schedule (<see cref="NextAttemptAt"/>) and the claim (<see cref="LeaseUntil"/>): the dispatcher
/// enqueues <see cref="NoticeJob"/> for due queued rows, and the job claims queued → sending before it hands the
/// message on, so a re-run never sends twice (DESIGN.md "jobs").
/// </summary>
public sealed class Notice
{
    public long Id { get; set; }

    public int CaseId { get; set; }

    public Case? Case { get; set; }

    /// <summary>The contact row it goes to (its rank and status say why); null only if that row was removed since.</summary>
    public long? CaseContactId { get; set; }

    /// <summary>The address it goes to, as it was when planned (the contact's row may be re-ranked later).</summary>
    public required string Recipient { get; set; }

    /// <summary>A <c>Notices.NoticeKind</c> name (<c>FirstNotice</c>, …).</summary>
    public required string Kind { get; set; }

    /// <summary><c>en</c> or <c>de</c>, chosen when it is built (manual preference, else RDAP country, else English).</summary>
    public string? Language { get; set; }

    public string State { get; set; } = NoticeState.AwaitingApproval;

    /// <summary>The case state when the notice was planned: the re-notify rule lets a second notice through when it changed.</summary>
    public required string CaseStateAtPlan { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a queued notice is due (budget and backoff move it); null while it waits for approval or is done.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>Hand-overs tried (each claim counts), for the backoff and its cap.</summary>
    public int Attempts { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The latest failure or why it waits (budget, re-notify), for the operator.</summary>
    public string? LastError { get; set; }

    /// <summary><c>smarthost</c> or <c>outbox</c>: who took it.</summary>
    public string? Transport { get; set; }

    /// <summary>The smarthost's reply or the outbox file.</summary>
    public string? DeliveryDetail { get; set; }

    /// <summary>Deterministic (<c>notice-&lt;id&gt;@&lt;our domain&gt;</c>, no brackets), set when built: a rebuilt message is the same message.</summary>
    public string? MessageId { get; set; }

    /// <summary><c>operator:&lt;name&gt;</c> / <c>api:&lt;key&gt;</c>, or <c>system</c> when approval is not required.</summary>
    public string? ApprovedBy { get; set; }

    public DateTimeOffset? ApprovedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The notice this one replaces (failover to the next contact, or an operator's resend).</summary>
    public long? ReplacesNoticeId { get; set; }

    /// <summary>
    /// Batching: the notice whose message carries this one (the same recipient, due at the same time, see
    /// <see cref="NoticeBatch"/>). Set while that message is being sent, kept once it went out (<see cref="NoticeState.Carried"/>)
    /// or was refused; cleared when the carrier is retried later, so the next claim folds afresh.
    /// </summary>
    public long? CarriedByNoticeId { get; set; }

    /// <summary>
    /// An operator's own wording of the plain-text part, set by "edit and send" before it goes out: the message is
    /// built with it in place of the template's text (the evidence attachments stay). Null: the template speaks.
    /// </summary>
    public string? EditedText { get; set; }

    /// <summary>Why the operator changed the wording (on the timeline and the case page).</summary>
    public string? EditReason { get; set; }

    public string? EditedBy { get; set; }

    public DateTimeOffset? EditedAt { get; set; }
}

/// <summary>Notice states (stored as these strings).</summary>
public static class NoticeState
{
    /// <summary>Planned; an operator approves it (<c>Notices:RequireApproval</c>).</summary>
    public const string AwaitingApproval = "awaiting-approval";

    /// <summary>Approved (or approval not required): due at NextAttemptAt.</summary>
    public const string Queued = "queued";

    /// <summary>Claimed by a job under a lease; the hand-over is under way.</summary>
    public const string Sending = "sending";

    /// <summary>The smarthost took it, or the outbox file is written.</summary>
    public const string Sent = "sent";

    /// <summary>
    /// Went out inside another notice's message (batching, <see cref="Notice.CarriedByNoticeId"/>): told, never sent
    /// on its own. Counts as told for the re-notify rule; the daily budget counts the carrying message once.
    /// </summary>
    public const string Carried = "carried";

    /// <summary>Refused permanently (5xx at hand-over, or a DSN later): the contact is bounced and the next one gets a notice.</summary>
    public const string Rejected = "rejected";

    /// <summary>Temporary failures until the attempts ran out; an operator decides (resend).</summary>
    public const string Failed = "failed";

    /// <summary>
    /// May have been sent, nobody knows: found sending after its lease ran out (the process died between the
    /// hand-over and recording it, or the send outlasted the lease), or the connection failed after the smarthost
    /// accepted the recipient (<see cref="Notifier.Notices.NoticeDeliveryOutcome.Uncertain"/>). Never resent
    /// automatically (one message per claim); an operator looks and resends. A send that outlasted its lease and is
    /// accepted after all still becomes <see cref="Sent"/>.
    /// </summary>
    public const string Interrupted = "interrupted";

    /// <summary>An operator cancelled it, or a suppression or a closed case made it moot.</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [AwaitingApproval, Queued, Sending, Sent, Carried, Rejected, Failed, Interrupted, Cancelled];
}
