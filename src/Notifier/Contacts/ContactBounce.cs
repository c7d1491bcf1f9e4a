namespace Notifier.Contacts;

/// <summary>
/// A delivery failure reported for an address (an RFC 3464 DSN or a non-standard bounce that the inbox read).
/// Ranking marks the address bounced and fails over to the next candidate.
/// </summary>
public sealed class ContactBounce
{
    public long Id { get; set; }

    /// <summary>Normalised with <see cref="ContactAddress.Normalize"/>.</summary>
    public required string Address { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>The DSN status and diagnostic, e.g. <c>5.1.1 (550 5.1.1 User unknown)</c>.</summary>
    public string? Diagnostic { get; set; }

    /// <summary>The case the bounced notice belonged to, when known.</summary>
    public int? CaseId { get; set; }

    public BouncedContact ToPolicy() => new(Address, At, Diagnostic);
}
