namespace Notifier.Cases;

/// <summary>Case states (stored as these strings).</summary>
public static class CaseState
{
    /// <summary>Reported, not yet probed.</summary>
    public const string New = "New";

    /// <summary>A probe is queued or running.</summary>
    public const string Probing = "Probing";

    /// <summary>The server accepted a recipient at the canary domain; waiting for the canary to arrive.</summary>
    public const string Suspected = "Suspected";

    /// <summary>The canary arrived: a proven open relay.</summary>
    public const string Confirmed = "Confirmed";

    /// <summary>
    /// The server accepted our test messages but none arrived within the confirmation window (accepts-but-drops):
    /// possibly a false positive, so it is not notified as an open relay. A canary arriving later still confirms it.
    /// </summary>
    public const string Unconfirmed = "Unconfirmed";

    /// <summary>A proven relay's contact is being told: a notice is planned, awaiting approval, queued or being sent.</summary>
    public const string Notifying = "Notifying";

    /// <summary>A notice was sent: the relay is retested on the schedule (Retests:Schedule) until a retest finds it closed.</summary>
    public const string Monitoring = "Monitoring";

    /// <summary>A retest found the relay closed after it was reported; the contacts told get a thank-you notice.</summary>
    public const string Resolved = "Resolved";

    /// <summary>The direct contacts ignored the notices: the upstream network's abuse contact was told; retests go on.</summary>
    public const string Escalated = "Escalated";

    /// <summary>Nobody acted, escalation included (or there was nobody upstream to tell): no more notices, still retested monthly.</summary>
    public const string Unresponsive = "Unresponsive";

    /// <summary>A resolved relay was found open again (a later retest, or a new report that a retest confirmed): recidivism, counted in <see cref="Case.ReopenCount"/>.</summary>
    public const string Reopened = "Reopened";

    /// <summary>The server refused every relay attempt.</summary>
    public const string NotRelay = "NotRelay";

    /// <summary>No SMTP session could be had, after the configured retries.</summary>
    public const string Unreachable = "Unreachable";

    /// <summary>Temporarily refused or unreachable; a retry is scheduled.</summary>
    public const string Deferred = "Deferred";

    /// <summary>An operator closed it, or it cannot be probed.</summary>
    public const string Closed = "Closed";

    public static readonly IReadOnlyList<string> All =
        [New, Probing, Suspected, Confirmed, Unconfirmed, Notifying, Monitoring, Resolved, Escalated, Unresponsive, Reopened, NotRelay, Unreachable, Deferred, Closed];

    /// <summary>The relay is proven (the canary arrived), whatever notifying and retesting have done since.</summary>
    public static bool IsProven(string state) => state is Confirmed or Notifying or Monitoring or Resolved or Escalated or Unresponsive or Reopened;

    /// <summary>States after which a new report of the same relay opens a new case.</summary>
    public static bool IsOpen(string state) => state != Closed;
}

/// <summary>What can be due on a case.</summary>
public static class CaseAction
{
    public const string Probe = "probe";

    /// <summary>Retry the case's latest (temp-refused) probe with the same envelope and token: what greylisting waits for.</summary>
    public const string RetryProbe = "retry-probe";

    /// <summary>Find who runs the relay (ContactLookupJob); due as soon as a relay is confirmed.</summary>
    public const string LookupContacts = "lookup-contacts";

    /// <summary>The confirmation window of the latest test message ends: send the next one or call it accepts-but-drops.</summary>
    public const string AwaitCanary = "await-canary";

    /// <summary>Retest a notified relay (a probe of kind retest, RCPT only, through the variants that relayed): scheduled, or asked for.</summary>
    public const string Retest = "retest";
}
