namespace Notifier.Contacts;

/// <summary>
/// A delivery failure reported for an address (an RFC 3464 DSN or a non-standard bounce that the inbox read).
/// A permanent one marks the address bounced and ranking fails over to the next candidate; temporary ones
/// (4.x.x, <c>Action: delayed</c>) count only when they keep coming (see <see cref="Counting"/>).
/// </summary>
public sealed class ContactBounce
{
    /// <summary>
    /// How long an address must keep failing temporarily before it counts as bounced. MTAs give up on a message
    /// after about this long (Postfix <c>maximal_queue_lifetime</c> 5d, Exim's default retry rule 4d, RFC 5321
    /// §4.5.4.1 "at least 4-5 days"); failures spread over three days are past a passing outage.
    /// </summary>
    public static readonly TimeSpan TemporaryFailureSpan = TimeSpan.FromDays(3);

    public long Id { get; set; }

    /// <summary>Normalised with <see cref="ContactAddress.Normalize"/>.</summary>
    public required string Address { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The DSN status and diagnostic, e.g. <c>5.1.1 (550 5.1.1 User unknown)</c>.</summary>
    public string? Diagnostic { get; set; }

    /// <summary>A 4.x.x or <c>delayed</c> report: the mailbox may yet work.</summary>
    public bool Temporary { get; set; }

    /// <summary>The reason class (<c>Inbox.BounceReason</c>): unknown-user, mailbox-full, policy, host-unknown, expired, other.</summary>
    public string? Reason { get; set; }

    /// <summary>The case the bounced notice belonged to, when known.</summary>
    public int? CaseId { get; set; }

    public BouncedContact ToPolicy() => new(Address, At, Diagnostic);

    /// <summary>
    /// The reports that mark an address bounced: every permanent one, and for an address whose temporary failures
    /// span at least <see cref="TemporaryFailureSpan"/> (first to last), the latest of them.
    /// </summary>
    public static List<BouncedContact> Counting(IEnumerable<ContactBounce> bounces)
    {
        var list = bounces.ToList();
        var counting = list.Where(b => !b.Temporary).Select(b => b.ToPolicy()).ToList();
        foreach (var group in list.Where(b => b.Temporary).GroupBy(b => b.Address, StringComparer.Ordinal))
        {
            var first = group.MinBy(b => b.At)!;
            var last = group.MaxBy(b => b.At)!;
            if (last.At - first.At >= TemporaryFailureSpan)
                counting.Add(new BouncedContact(last.Address, last.At, $"temporary failures since {first.At.UtcDateTime:yyyy-MM-dd HH:mm}Z: {last.Diagnostic}"));
        }
        return counting;
    }
}
