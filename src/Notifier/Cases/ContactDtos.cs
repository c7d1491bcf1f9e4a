using Notifier.Contacts;

namespace Notifier.Cases;

/// <summary>A case's contact as the API shows it: ranked (null rank: no longer a candidate), with provenance.</summary>
public sealed record CaseContactDto(int? Rank, string Address, string Source, IReadOnlyList<string> Sources, string Tier,
    string Confidence, string Status, string? Reason, int? NetworkPrefixLength, IReadOnlyList<ContactEvidence> Evidence,
    DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt)
{
    public static CaseContactDto From(CaseContact c) =>
        new(c.Rank, c.Address, c.Source, c.Sources.Split(',', StringSplitOptions.RemoveEmptyEntries), c.Tier, c.Confidence, c.Status,
            c.StatusReason, c.NetworkPrefixLength, CaseContactJson.Deserialize<List<ContactEvidence>>(c.EvidenceJson), c.FirstSeenAt, c.LastSeenAt);

    /// <summary>Ranked candidates first, in rank order; former candidates after them.</summary>
    public static IReadOnlyList<CaseContactDto> List(IEnumerable<CaseContact> rows) =>
        rows.OrderBy(r => r.Rank is null).ThenBy(r => r.Rank).ThenBy(r => r.Address, StringComparer.Ordinal).Select(From).ToList();
}

/// <summary>The case's latest lookup: when, what was chosen, and what could not be asked or found.</summary>
public sealed record ContactLookupDto(string Ip, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string? Chosen,
    IReadOnlyList<string> ConfirmedDomains, IReadOnlyList<LookupNote> Notes)
{
    public static ContactLookupDto From(CaseContactLookup l) =>
        new(l.Ip, l.StartedAt, l.FinishedAt, l.Chosen, l.ConfirmedDomainList, CaseContactJson.Deserialize<List<LookupNote>>(l.NotesJson));
}

public sealed record ContactRuleDto(int Id, string Address, string Action, string Scope, int? CaseId, string? Domain, string? Network,
    string AddedBy, string? Reason, DateTimeOffset AddedAt, string? Language)
{
    public static ContactRuleDto From(ManualContactRule r) =>
        new(r.Id, r.Address, r.Action, r.Scope, r.CaseId, r.Domain, r.Network, r.AddedBy, r.Reason, r.AddedAt, r.Language);
}

/// <summary><c>scope</c> is <c>case</c> (with <c>caseId</c>), <c>domain</c> (with <c>domain</c>) or <c>network</c> (with a CIDR <c>network</c>).</summary>
/// <param name="Language">The language notices to the address are written in (<c>en</c>, <c>de</c>); null: from the RDAP country, else English.</param>
public sealed record CreateContactRuleRequest(string? Address, string? Action, string? Scope, int? CaseId, string? Domain, string? Network, string? Reason, string? Language = null);

public sealed record SuppressionDto(int Id, string Value, bool IsDomain, string Reason, string AddedBy, DateTimeOffset AddedAt)
{
    public static SuppressionDto From(Suppression s) => new(s.Id, s.Value, !s.Value.Contains('@', StringComparison.Ordinal), s.Reason, s.AddedBy, s.AddedAt);
}

/// <summary><c>value</c>: a mail address, or a domain (which covers its subdomains).</summary>
public sealed record CreateSuppressionRequest(string? Value, string? Reason);

/// <summary>What POST /api/cases/{id}/contacts/lookup answers: the case, and whether the lookup is on its schedule or enqueued directly.</summary>
public sealed record ContactLookupRequested(CaseSummaryDto Case, bool Scheduled);
