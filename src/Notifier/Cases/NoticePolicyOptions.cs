using System.ComponentModel.DataAnnotations;

namespace Notifier.Cases;

/// <summary>
/// The case side of the <c>Notices</c> section: when notices are planned, approved, paced and retried. The desk,
/// signing and transport settings of the same section are <c>Notices.NoticesOptions</c>. Validated at start.
/// </summary>
public sealed class NoticePolicyOptions
{
    public const string Section = "Notices";

    /// <summary>First notices wait for an operator's approval (API) before they are sent.</summary>
    public bool RequireApproval { get; set; } = true;

    /// <summary>
    /// Follow-up notices (StillOpen, Resolved, Escalation) wait for an operator's approval too. Off by default: the
    /// case was approved for notifying already, and a thank-you held for days helps nobody. Suppressions win either way.
    /// </summary>
    public bool RequireApprovalForFollowUps { get; set; }

    /// <summary>No second notice about the same relay to the same address within this many days, unless the case state changed.</summary>
    [Range(0, 365, ErrorMessage = "Notices:RenotifyAfter must be between 0 and 365 days")]
    public int RenotifyAfter { get; set; } = 7;

    /// <summary>Notices per recipient domain and UTC day; over it a notice waits for the next day. Abuse desks rate-limit senders too.</summary>
    [Range(1, 10000, ErrorMessage = "Notices:DailyBudgetPerDomain must be between 1 and 10000")]
    public int DailyBudgetPerDomain { get; set; } = 20;

    /// <summary>
    /// Batching: relays one notice lists in its body when one contact is told about several at once; the rest are
    /// named in a CSV attachment (and all in the JSON evidence), so a desk running many relays gets one readable message.
    /// </summary>
    [Range(1, 200, ErrorMessage = "Notices:MaxRelaysPerNotice must be between 1 and 200")]
    public int MaxRelaysPerNotice { get; set; } = 20;

    /// <summary>Hand-overs of one notice that fail temporarily before it is given up (Failed, for an operator).</summary>
    [Range(1, 50, ErrorMessage = "Notices:MaxAttempts must be between 1 and 50")]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry after a temporary failure waits this long, each further one twice as long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Notices:RetryBaseDelay must be between 1 second and 1 day")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Notices:RetryMaxDelay must be between 1 second and 7 days")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long a claimed notice may take to hand over; past it (plus Jobs:LeaseMargin) a sending notice counts as interrupted.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Notices:SendLease must be between 5 seconds and 1 hour")]
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The public address of this service (<c>https://notifier.example.org</c>), for the owner link <c>/r/&lt;token&gt;</c>.
    /// Empty: notices carry no owner link.
    /// </summary>
    [Url(ErrorMessage = "Notices:PublicBaseUrl must be an absolute http(s) URL")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long an owner link works.</summary>
    [Range(1, 365, ErrorMessage = "Notices:OwnerLinkDays must be between 1 and 365")]
    public int OwnerLinkDays { get; set; } = 90;
}
