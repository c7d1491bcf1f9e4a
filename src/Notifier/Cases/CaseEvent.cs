namespace Notifier.Cases;

/// <summary>One line of a case's timeline: every state change and every operator or system action.</summary>
public sealed class CaseEvent
{
    public long Id { get; set; }

    public int CaseId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary><c>system</c>, <c>operator:&lt;name&gt;</c>, <c>api:&lt;key name&gt;</c>, <c>cli</c>.</summary>
    public required string Actor { get; set; }

    /// <summary>A stable word (<see cref="CaseEventKind"/>).</summary>
    public required string Kind { get; set; }

    public required string Summary { get; set; }

    /// <summary>For <see cref="CaseEventKind.StateChanged"/>: the state the case moved to (the statistics read it).</summary>
    public string? ToState { get; set; }

    /// <summary>Optional JSON with the details.</summary>
    public string? Data { get; set; }
}

public static class CaseEventKind
{
    public const string Created = "created";
    public const string Reported = "reported";
    public const string StateChanged = "state-changed";
    public const string ProbeQueued = "probe-queued";
    public const string ProbeFinished = "probe-finished";
    public const string ProbeFailed = "probe-failed";
    public const string ProbeDeferred = "probe-deferred";
    public const string SampleAdded = "sample-added";
    public const string ContactsFound = "contacts-found";
    public const string ContactsNotFound = "contacts-none";
    public const string ContactRule = "contact-rule";
    public const string Note = "note";

    /// <summary>The case was given to an operator to work (or taken back: assigned to nobody).</summary>
    public const string Assigned = "assigned";

    /// <summary>A person dealt with what flagged the case for attention (<see cref="CaseWorkflow.AttentionHandled"/>).</summary>
    public const string Handled = "handled";

    /// <summary>An operator changed a planned notice's wording before it went out, with a reason.</summary>
    public const string NoticeEdited = "notice-edited";

    /// <summary>A retest asked for (by an operator, a "fixed" reply, a new report, the owner page) or scheduled, and what it found.</summary>
    public const string Retest = "retest";
    public const string TestMessage = "test-message";
    public const string Bounce = "bounce";
    public const string AutoReply = "auto-reply";

    /// <summary>An abuse feedback report (RFC 5965) about a message of ours: someone marked it as spam.</summary>
    public const string Complaint = "complaint";
    public const string Reply = "reply";

    public const string NoticePlanned = "notice-planned";
    public const string NoticeNotPlanned = "notice-none";
    public const string NoticeApproved = "notice-approved";
    public const string NoticeCancelled = "notice-cancelled";
    public const string NoticeSent = "notice-sent";
    public const string NoticeRejected = "notice-rejected";
    public const string NoticeDeferred = "notice-deferred";
    public const string NoticeFailed = "notice-failed";

    /// <summary>An operator changed a reply's intent, and what that did (retest, suppression added or removed).</summary>
    public const string ReplyIntent = "reply-intent";

    /// <summary>An operator filed inbound mail the inbox could not place (unknown, or threaded to no case) onto the case.</summary>
    public const string MailFiled = "mail-filed";

    /// <summary>An operator took back a contact's owner page link (<c>/r/&lt;token&gt;</c>): it answers 410 from then on.</summary>
    public const string OwnerLinkRevoked = "owner-link-revoked";

    /// <summary>A contact said on the owner page that the relay is not theirs: disabled for the case, the case flagged (<see cref="CaseWorkflow.OwnerSaidNotOurs"/>).</summary>
    public const string OwnerNotOurs = "owner-not-ours";

    /// <summary>A contact asked on the owner page (or by RFC 8058 one-click) never to be mailed again: suppressed, the case flagged.</summary>
    public const string OwnerOptOut = "owner-opt-out";

    /// <summary>The relay's owner pressed "I fixed it — test again now" on the owner page (who, and from which client address).</summary>
    public const string OwnerRetest = "owner-retest";
}
