namespace Notifier.Contacts;

/// <summary>
/// An address or a whole domain that is never notified (opt-out, an operator's decision). Absolute: ranking skips
/// it whatever its source, and the case shows why. <see cref="Value"/> is an address when it contains '@'
/// (normalised with <see cref="ContactAddress.Normalize"/>), else a domain that also covers its subdomains.
/// </summary>
public sealed class Suppression
{
    public int Id { get; set; }

    public required string Value { get; set; }

    public required string Reason { get; set; }

    /// <summary><c>operator:&lt;name&gt;</c>, <c>inbox</c> (an opt-out reply), <c>api:&lt;key&gt;</c>.</summary>
    public required string AddedBy { get; set; }

    public DateTimeOffset AddedAt { get; set; }

    /// <summary>
    /// The opt-out reply that added it (<c>inbox</c>), so changing that reply's intent can take it back. Null for
    /// an operator's or the API's suppression.
    /// </summary>
    public long? InboundMessageId { get; set; }

    public ContactSuppression ToPolicy() => new(Value, Reason, AddedBy);
}
