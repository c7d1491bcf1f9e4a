namespace Notifier.Cases;

/// <summary>One suspected relay (address and port) and everything done about it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716:Identifiers should not match keywords",
    Justification = "A case is the abuse desk's word for it; the project is C# only and publishes no library for Visual Basic callers.")]
public sealed class Case
{
    public int Id { get; set; }

    /// <summary>Canonical IP text (IPv4-mapped IPv6 folded to IPv4).</summary>
    public required string Address { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>
    /// <see cref="Address"/> as text that sorts in address order (<see cref="CaseAddressKey"/>), so a CIDR filter is a
    /// range over an index. Set by <see cref="CaseWorkflow.Open"/>; rows older than the column get it at start.
    /// </summary>
    public string? AddressKey { get; set; }

    /// <summary>The server's own name as the latest probe that saw one read it (banner, else EHLO): searched and listed.</summary>
    public string? HostName { get; set; }

    /// <summary>The MTA the latest probe that fingerprinted one named (<see cref="Probe.Mta"/>): the case list filters by it.</summary>
    public string? Mta { get; set; }

    /// <summary>
    /// The verdict most recently recorded on any of the case's probes (a probe finished, a canary arrived, none
    /// arrived): what the case list shows, kept by the transitions that set a probe's verdict
    /// (<see cref="CaseWorkflow.ProbeFinished"/>, <see cref="CaseWorkflow.Confirm"/>, <see cref="CaseWorkflow.AcceptsButDrops"/>)
    /// so that a page of cases reads it from the row instead of searching each case's probes.
    /// </summary>
    public string? LastVerdict { get; set; }

    /// <summary><c>address:port</c> (<c>[v6]:port</c>): what a report is deduplicated on.</summary>
    public required string RelayKey { get; set; }

    /// <summary>Equals <see cref="RelayKey"/> while the case is open, null once closed: a unique index keeps one open case per relay.</summary>
    public string? OpenRelayKey { get; set; }

    public string State { get; set; } = CaseState.New;

    /// <summary>Where the first report came from (feed name, operator, spam sample).</summary>
    public string? Source { get; set; }

    public string? Note { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The database is the schedule: the dispatcher turns due rows into jobs.</summary>
    public DateTimeOffset? NextActionAt { get; set; }

    /// <summary>What is due at <see cref="NextActionAt"/> (<see cref="CaseAction"/>).</summary>
    public string? NextAction { get; set; }

    /// <summary>Probes run for this case since it was last probed successfully; bounds the retries.</summary>
    public int ProbeAttempts { get; set; }

    /// <summary>When the first notice about this case went out (sent or carried): the retest schedule counts from it.</summary>
    public DateTimeOffset? FirstNoticeAt { get; set; }

    /// <summary>Scheduled retests run since the first notice: the index into <c>Retests:Schedule</c> of the next one.</summary>
    public int RetestsDone { get; set; }

    /// <summary>When the latest retest started (whoever asked): <c>Retests:MinInterval</c> counts from it.</summary>
    public DateTimeOffset? LastRetestAt { get; set; }

    /// <summary>
    /// What the retest schedule counts from: the first notice, or the latest reopening (a reopened relay is retested
    /// on the whole schedule again). <see cref="FirstNoticeAt"/> stays the first notice's time for the statistics.
    /// </summary>
    public DateTimeOffset? ScheduleFrom { get; set; }

    /// <summary>
    /// Who asked for what is due (<c>inbox</c>, <c>operator:…</c>, <c>api:…</c>, <c>owner</c>); null when the state
    /// machine scheduled it itself. The probe queued for it records it as <see cref="Probe.RequestedBy"/>.
    /// </summary>
    public string? NextActionRequestedBy { get; set; }

    /// <summary>Fresh probes of an unreachable (never notified) case the state machine queued on its own: bounded by <c>Retests:MaxUnreachableReprobes</c>.</summary>
    public int UnreachableReprobes { get; set; }

    /// <summary>Inconclusive retests in a row (only 4xx, unreachable): bounded by <c>Retests:MaxInconclusiveInARow</c> before the schedule goes on.</summary>
    public int InconclusiveInARow { get; set; }

    /// <summary>When a retest last found it closed (Resolved); kept when it is reopened.</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>Times a resolved relay was found open again (recidivism).</summary>
    public int ReopenCount { get; set; }

    /// <summary>
    /// When the latest reply about the case was recorded (the <c>At</c> of its latest <see cref="CaseEventKind.Reply"/>
    /// event: a mailed reply, a note on the owner page), kept by <see cref="CaseWorkflow"/> where it records one; null
    /// while nobody replied. What <see cref="IgnoredNotices"/> reads (a notice sent after it is ignored) so that the
    /// queue's escalations due need not search every notified case's timeline (issue 17).
    /// </summary>
    public DateTimeOffset? LastReplyAt { get; set; }

    /// <summary>When the upstream network was told (Escalated).</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>Why it was closed (<see cref="CloseReason"/>); null while open.</summary>
    public string? ClosedReason { get; set; }

    /// <summary>
    /// The RDAP network that names the relay's address (its handle, else its range), recorded by the contact lookup:
    /// what the statistics group by beside the /24.
    /// </summary>
    public string? Network { get; set; }

    /// <summary>The operator (user name) who works this case, or null: the queue and the case list filter by it.</summary>
    public string? AssignedTo { get; set; }

    /// <summary>Something arrived that a person should read.</summary>
    public bool NeedsAttention { get; set; }

    /// <summary>Optimistic concurrency: two writers never both move a case.</summary>
    public int Version { get; set; }

    public List<Probe> Probes { get; set; } = [];

    public List<CaseEvent> Events { get; set; } = [];

    public List<Sample> Samples { get; set; } = [];

    public string Reference => CaseReference.Format(Id);
}
