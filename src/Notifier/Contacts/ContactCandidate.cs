namespace Notifier.Contacts;

/// <summary>
/// One ranked address. <see cref="Source"/> is the best source that found it, <see cref="Sources"/> all of them;
/// <see cref="Evidence"/> is the chain that produced it (from every source, best first). Skipped candidates
/// (any status but active) carry <see cref="Reason"/>. <see cref="Country"/>: the RDAP country of the best RDAP
/// finding (the notice language follows it).
/// </summary>
public sealed record ContactCandidate(
    int Rank,
    string Address,
    ContactSource Source,
    IReadOnlyList<ContactSource> Sources,
    ContactTier Tier,
    ContactConfidence Confidence,
    ContactStatus Status,
    string? Reason,
    int? NetworkPrefixLength,
    IReadOnlyList<ContactEvidence> Evidence,
    string? Country = null);
