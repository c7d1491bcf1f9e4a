using System.Net;

namespace Notifier.Contacts;

/// <summary>Everything one lookup found for an IP, plus why the rest found nothing.</summary>
/// <param name="ConfirmedDomains">Registrable domains of forward-confirmed PTR names; domain-scoped manual entries match these.</param>
/// <param name="Network">The RDAP network that names the address (handle, else range); null when RDAP found none.</param>
public sealed record ContactLookupResult(
    IPAddress Ip,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    IReadOnlyList<FoundContact> Found,
    IReadOnlyList<LookupNote> Notes,
    IReadOnlyList<PtrName> PtrNames,
    IReadOnlyList<string> ConfirmedDomains,
    string? Network = null);
