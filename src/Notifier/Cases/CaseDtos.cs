using System.Text.Json;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>What the API returns; entities never leave the process as they are.</summary>
/// <param name="FirstNoticeAt">When the first notice went out: the retest schedule counts from it (or from the latest reopening).</param>
/// <param name="Network">The RDAP network that names the address (handle, else range), from the contact lookup.</param>
/// <param name="AssignedTo">The operator who works the case, or null.</param>
/// <param name="HostName">The server's own name as the latest probe read it.</param>
/// <param name="Mta">The MTA the latest fingerprint named.</param>
public sealed record CaseSummaryDto(int Id, string Reference, string Address, int Port, string State, string? Source,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? NextActionAt, string? NextAction, bool NeedsAttention, string? LastVerdict,
    string? ClosedReason, int ReopenCount, DateTimeOffset? ResolvedAt, DateTimeOffset? EscalatedAt, DateTimeOffset? FirstNoticeAt, string? Network,
    string? AssignedTo = null, string? HostName = null, string? Mta = null)
{
    public static CaseSummaryDto From(Case c) =>
        new(c.Id, c.Reference, c.Address, c.Port, c.State, c.Source, c.CreatedAt, c.UpdatedAt, c.NextActionAt, c.NextAction, c.NeedsAttention, c.LastVerdict,
            c.ClosedReason, c.ReopenCount, c.ResolvedAt, c.EscalatedAt, c.FirstNoticeAt, c.Network, c.AssignedTo, c.HostName, c.Mta);
}

/// <summary>The retest schedule of a case: retests run, the latest, and the next few the policy plans (<see cref="CaseWorkflow.PlannedRetests"/>).</summary>
/// <param name="Done">Slots of <c>Retests:Schedule</c> passed (<see cref="Case.RetestsDone"/>).</param>
public sealed record RetestScheduleDto(int Done, DateTimeOffset? LastAt, int InconclusiveInARow, DateTimeOffset? ScheduleFrom, IReadOnlyList<DateTimeOffset> Planned)
{
    /// <summary>How many planned retests the API shows.</summary>
    public const int PlannedShown = 5;

    public static RetestScheduleDto From(Case c, RetestOptions options) =>
        new(c.RetestsDone, c.LastRetestAt, c.InconclusiveInARow, c.ScheduleFrom ?? c.FirstNoticeAt, CaseWorkflow.PlannedRetests(c, options, PlannedShown));
}

public sealed record ProbeDto(int Id, string Key, string Status, ProbeMode Mode, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, string? Verdict, string? Reason, string? Mta, string? Token, string? CanaryAddress,
    IReadOnlyList<string> AcceptedVariants, string? AcceptedClass, string? DataReply,
    IReadOnlyList<VariantResult>? Variants, IReadOnlyList<TranscriptLine>? Transcript, TlsInfo? Tls, string? Banner,
    int? RetryOfProbeId, int EnvelopeRetry, string Kind, IReadOnlyList<string>? OnlyVariants, string? RetestOutcome, string? RequestedBy,
    string? HostName = null)
{
    public static ProbeDto From(Probe p)
    {
        var r = p.ResultJson is null ? null : ProbeResultJson.Deserialize(p.ResultJson);
        return new ProbeDto(p.Id, p.Key, p.Status, p.Mode, p.QueuedAt, p.StartedAt, p.FinishedAt, p.Verdict, p.Reason, p.Mta,
            p.Token, p.CanaryAddress, p.AcceptedVariants?.Split(',') ?? [], p.AcceptedClass, p.DataReply,
            r?.Variants, r?.Transcript, r?.Tls, r?.Banner, p.RetryOfProbeId, p.EnvelopeRetry,
            p.Kind, p.Variants?.Split(','), p.RetestOutcome, p.RequestedBy, r?.HostName);
    }

    /// <summary>The mode as the API and the CLI spell it (<c>quick</c>, <c>full</c>, <c>rcpt-only</c>), for the case page.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ModeText => Mode.ToText();
}

public sealed record CaseEventDto(DateTimeOffset At, string Actor, string Kind, string Summary, JsonElement? Data)
{
    public static CaseEventDto From(CaseEvent e) =>
        new(e.At, e.Actor, e.Kind, e.Summary, e.Data is null ? null : JsonDocument.Parse(e.Data).RootElement.Clone());
}

public sealed record SampleDto(int Id, DateTimeOffset ReceivedAt, string? Subject, string? From, string? MessageId, DateTimeOffset? Date, int Size);

/// <param name="Contacts">Ranked candidates first (rank 1 is chosen when active), then addresses no longer found.</param>
/// <param name="ContactLookup">The latest contact lookup (when, chosen, notes on what found nothing); null before the first.</param>
/// <param name="Retests">The retest schedule (what is done, what the policy plans next).</param>
public sealed record CaseDetailDto(CaseSummaryDto Case, IReadOnlyList<ProbeDto> Probes, IReadOnlyList<CaseEventDto> Events, IReadOnlyList<SampleDto> Samples,
    IReadOnlyList<CaseContactDto> Contacts, ContactLookupDto? ContactLookup, IReadOnlyList<NoticeDto> Notices, RetestScheduleDto Retests);

public sealed record CasePageDto(IReadOnlyList<CaseSummaryDto> Items, int Page, int PageSize, int Total);

public sealed record CreateCaseRequest(string? Address, int? Port, string? Source, string? Note);
