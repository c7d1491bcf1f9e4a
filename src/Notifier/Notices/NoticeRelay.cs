namespace Notifier.Notices;

/// <summary>One proven relay as a notice reports it: what we observed, when, and the evidence excerpt.</summary>
public sealed record NoticeRelay
{
    public required string CaseReference { get; init; }

    public required string Address { get; init; }

    public required int Port { get; init; }

    /// <summary>The forward-confirmed host name, if any.</summary>
    public string? HostName { get; init; }

    /// <summary>When the probe that proved it ran.</summary>
    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>When our test message arrived through it; null when the relay was not confirmed by a canary.</summary>
    public DateTimeOffset? ConfirmedAt { get; init; }

    /// <summary>Probe verdict (<c>open</c>, <c>partial</c>, …).</summary>
    public required string Verdict { get; init; }

    /// <summary>The accepted relay-test variant's name (Probing/RelayVariants: <c>plain</c>, <c>percent-hack</c>, <c>sender-own-domain-postmaster:example.org</c>, …).</summary>
    public required string Variant { get; init; }

    /// <summary>The MAIL FROM and RCPT TO the server accepted.</summary>
    public required string AcceptedSender { get; init; }

    public required string AcceptedRecipient { get; init; }

    /// <summary>The MTA we fingerprinted (Probing/MtaFingerprint names: <c>Postfix</c>, <c>Exim</c>, …, or <c>unknown</c>).</summary>
    public required string Mta { get; init; }

    /// <summary>The server's greeting line, as evidence of what we talked to.</summary>
    public string? Banner { get; init; }

    /// <summary>The transcript lines around the accepted RCPT (already capped; the whole transcript is attached).</summary>
    public IReadOnlyList<string> TranscriptExcerpt { get; init; } = [];
}
