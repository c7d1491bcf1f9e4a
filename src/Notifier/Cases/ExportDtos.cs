namespace Notifier.Cases;

/// <summary>
/// A case as exported for a CERT or an upstream: the API's case summary with what the API shows elsewhere in the
/// case detail, reduced to what they act on (the first and latest verdict with their times, the notices sent, the
/// ranked contacts with provenance).
/// </summary>
/// <param name="NoticesSent">Notices that left (state sent), of any kind.</param>
public sealed record CaseExportDto(CaseSummaryDto Case, ExportVerdictDto? FirstVerdict, ExportVerdictDto? LastVerdict, int NoticesSent,
    DateTimeOffset? LastNoticeAt, IReadOnlyList<CaseContactDto> Contacts);

/// <summary>A probe's verdict and when it was reached (the probe's finish).</summary>
public sealed record ExportVerdictDto(string Verdict, DateTimeOffset At);

/// <summary>A contact of a case as exported: the case it belongs to, and the contact as the API shows it.</summary>
public sealed record ContactExportDto(string Reference, string Address, int Port, string State, CaseContactDto Contact);
