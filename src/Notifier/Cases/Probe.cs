using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>One probe of a case's relay: queued by the dispatcher, claimed and run by a ProbeJob.</summary>
public sealed class Probe
{
    public int Id { get; set; }

    public int CaseId { get; set; }

    public Case? Case { get; set; }

    /// <summary>
    /// The 16-character key the canary token is made from (see Probing/ProbeToken). A greylisting retry
    /// (<see cref="RetryOfProbeId"/>) shares the key, and the token, of the attempt it retries.
    /// </summary>
    public required string Key { get; set; }

    /// <summary>The attempt this probe retries with the same envelope (sender, recipient, token) after a temp-refused verdict; null for a fresh probe.</summary>
    public int? RetryOfProbeId { get; set; }

    /// <summary>0 for a fresh probe; n for the n-th same-envelope retry of it (bounded by <see cref="CasesOptions.MaxGreylistRetries"/>).</summary>
    public int EnvelopeRetry { get; set; }

    public string Status { get; set; } = ProbeStatus.Queued;

    /// <summary><see cref="ProbeKind.Initial"/> (prove it) or <see cref="ProbeKind.Retest"/> (is it still open?).</summary>
    public string Kind { get; set; } = ProbeKind.Initial;

    /// <summary>Comma-separated variant names the probe is limited to (a retest: those that relayed); null: every variant.</summary>
    public string? Variants { get; set; }

    /// <summary>A retest's finding (<see cref="Cases.RetestOutcome"/>); null for initial probes and while it runs.</summary>
    public string? RetestOutcome { get; set; }

    /// <summary>Who asked for it: <c>schedule</c>, <c>inbox</c> (a "fixed" reply), <c>operator:…</c>, <c>api:…</c>, <c>owner</c>.</summary>
    public string? RequestedBy { get; set; }

    /// <summary>Stored as <c>quick</c> / <c>full</c> / <c>rcpt-only</c> (NotifierDb converts it with <see cref="ProbeModeText"/>).</summary>
    public ProbeMode Mode { get; set; } = ProbeMode.Quick;

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>While running: who holds it and until when. A job whose holder died is claimed again after this.</summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    public string? Verdict { get; set; }

    public string? Reason { get; set; }

    public string? Mta { get; set; }

    public string? Token { get; set; }

    public string? CanaryAddress { get; set; }

    /// <summary>Comma-separated names of the accepted variants.</summary>
    public string? AcceptedVariants { get; set; }

    public string? AcceptedClass { get; set; }

    public string? DataReply { get; set; }

    /// <summary>
    /// The whole probe result (variants, transcript, TLS, test message) as JSON: the evidence. Stored compressed, in
    /// the column <c>Result</c> (<see cref="ProbeResultStorage"/>); read and written here as the JSON it is.
    /// </summary>
    public string? ResultJson { get; set; }

    /// <summary>
    /// A result recorded before results were stored compressed (the column <c>ResultJson</c>), until
    /// <see cref="ProbeResultStorage.CompactAsync"/> moves it into <see cref="ResultJson"/> at start; null otherwise.
    /// </summary>
    public string? UncompressedResultJson { get; set; }

    /// <summary>
    /// The transcript so far of a retest the owner page asked for, while it runs (<see cref="ProbeLiveTranscript"/>: a
    /// JSON array of lines, bounded, written at most every quarter second), so the owner's page shows the dialogue
    /// live from any node. Dropped when the probe is recorded: the whole transcript is then in <see cref="ResultJson"/>.
    /// </summary>
    public string? LiveTranscript { get; set; }

    /// <summary>The test messages sent for this probe (the first, and further ones while no canary arrives).</summary>
    public List<ProbeTestMessage> TestMessages { get; set; } = [];
}

public static class ProbeStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Done = "done";

    /// <summary>Could not be run (refused target, throttled); <see cref="Probe.Reason"/> says why.</summary>
    public const string Skipped = "skipped";
}
