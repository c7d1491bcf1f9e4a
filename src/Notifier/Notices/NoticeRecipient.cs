namespace Notifier.Notices;

/// <summary>Who a notice goes to and why we believe they are responsible (from the contact's provenance).</summary>
public sealed record NoticeRecipient
{
    public required string Address { get; init; }

    /// <summary>The contact's best source (<c>rdap</c>, <c>manual</c>, <c>ptr-rfc2142</c>, <c>abuse-net</c>, <c>soa</c>, …).</summary>
    public required string Source { get; init; }

    /// <summary>
    /// What the source said, in facts a template turns into a sentence: e.g. the RDAP network handle and range
    /// whose abuse role names the address, or the PTR name whose domain's RFC 2142 abuse address this is.
    /// </summary>
    public IReadOnlyList<string> Provenance { get; init; } = [];
}
