using Notifier.Contacts;

namespace Notifier.Cases;

/// <summary>
/// One address on a case's contact list: what found it, how it ranks, and whether it may be used. Rows are
/// upserted on each lookup (first seen kept, last seen moved) and re-ranked whenever policy changes, so the
/// notice work reads the chosen address and its failover order from here.
/// </summary>
public sealed class CaseContact
{
    public long Id { get; set; }

    public int CaseId { get; set; }

    /// <summary>Normalised with <see cref="ContactAddress.Normalize"/>.</summary>
    public required string Address { get; set; }

    /// <summary>The best source (<see cref="ContactText.Of{T}"/> of <see cref="ContactSource"/>, e.g. <c>rdap</c>).</summary>
    public required string Source { get; set; }

    /// <summary>Every source that produced the address, best first, comma-separated.</summary>
    public required string Sources { get; set; }

    public required string Tier { get; set; }

    public required string Confidence { get; set; }

    /// <summary>1 = chosen first. Null: not a candidate any more (the latest lookup did not find it and no rule adds it).</summary>
    public int? Rank { get; set; }

    /// <summary><c>active</c>, <c>bounced</c>, <c>suppressed</c> or <c>operator-disabled</c>.</summary>
    public string Status { get; set; } = ContactText.Of(ContactStatus.Active);

    /// <summary>Why it is skipped (every status but active), or why it is no longer ranked.</summary>
    public string? StatusReason { get; set; }

    /// <summary>The provenance as JSON: <c>[{ "query": …, "answer": … }]</c>, best source first.</summary>
    public required string EvidenceJson { get; set; }

    /// <summary>The <see cref="FoundContact"/> records behind the address, so policy changes re-rank without a lookup.</summary>
    public string FoundJson { get; set; } = "[]";

    /// <summary>RDAP only: prefix length of the network whose abuse entity named the address.</summary>
    public int? NetworkPrefixLength { get; set; }

    /// <summary>
    /// RDAP only: ISO 3166-1 alpha-2 country of the abuse entity's vCard address, else of the network that named the
    /// address; the notice language follows it when no manual rule sets one.
    /// </summary>
    public string? Country { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    /// <summary>The last lookup that found it (or ranking that applied a manual rule adding it).</summary>
    public DateTimeOffset LastSeenAt { get; set; }

    /// <summary>When rank and status were last computed.</summary>
    public DateTimeOffset RankedAt { get; set; }
}
