namespace Notifier.Cases;

/// <summary>
/// The latest contact lookup of a case (one row per case): when it ran, what it could not do and the domains of
/// forward-confirmed PTR names, which domain-scoped manual rules need when the case is re-ranked without a lookup.
/// </summary>
public sealed class CaseContactLookup
{
    public int CaseId { get; set; }

    /// <summary>The IP looked up.</summary>
    public required string Ip { get; set; }

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset FinishedAt { get; set; }

    /// <summary>Registrable domains (ASCII) of forward-confirmed PTR names, comma-separated.</summary>
    public string ConfirmedDomains { get; set; } = "";

    /// <summary><c>[{ "name": …, "forwardConfirmed": … }]</c>.</summary>
    public string PtrNamesJson { get; set; } = "[]";

    /// <summary>Lookups that gave nothing and why: <c>[{ "source": …, "query": …, "reason": … }]</c>.</summary>
    public string NotesJson { get; set; } = "[]";

    /// <summary>The chosen address after the latest ranking, null when every candidate is skipped or none was found.</summary>
    public string? Chosen { get; set; }

    public IReadOnlyList<string> ConfirmedDomainList =>
        ConfirmedDomains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
