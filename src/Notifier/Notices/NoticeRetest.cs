namespace Notifier.Notices;

/// <summary>
/// A retest of the relay a follow-up notice is about: RCPT only through the variant that relayed, no test message
/// (the relay was proven by the first probe's test message; a retest only asks whether it would still accept).
/// </summary>
public sealed record NoticeRetest
{
    /// <summary>When the retest ran.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>What it found (<c>open</c>: still accepts mail for our canary domain; <c>closed</c>: refuses it now).</summary>
    public required string Verdict { get; init; }

    /// <summary>The server's answer to the retest's RCPT TO, e.g. <c>554 5.7.1 Relay access denied</c> or <c>250 2.1.5 Ok</c>.</summary>
    public string? Answer { get; init; }

    /// <summary>The retest's transcript lines around that RCPT (capped; the whole retest transcript is attached).</summary>
    public IReadOnlyList<string> TranscriptExcerpt { get; init; } = [];
}
