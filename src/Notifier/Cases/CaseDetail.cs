using Notifier.Contacts;

namespace Notifier.Cases;

/// <summary>
/// One case as the API and the case page show it (<see cref="CaseQueries.DetailAsync"/>): probes newest first,
/// events in the order they happened, samples without their bytes, ranked contacts and the latest contact lookup.
/// </summary>
public sealed record CaseDetail(
    Case Case,
    IReadOnlyList<ProbeDto> Probes,
    IReadOnlyList<CaseEvent> Events,
    IReadOnlyList<SampleDto> Samples,
    IReadOnlyList<CaseContactDto> Contacts,
    ContactLookupDto? ContactLookup,
    IReadOnlyList<NoticeDto> Notices);
