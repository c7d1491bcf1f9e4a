namespace Notifier.Probing;

/// <summary>One variant as tried: what was sent and what the server answered.</summary>
public sealed record VariantResult(
    string Name,
    string Class,
    string MailFrom,
    string RcptTo,
    string? MailReply,
    string? RcptReply,
    bool Accepted,
    string Outcome,
    int Session);

/// <summary>Outcome words of a single variant.</summary>
public static class VariantOutcome
{
    public const string Accepted = "accepted";
    public const string Refused = "refused";
    public const string Temporary = "temporary";
    public const string TlsRequired = "tls-required";
    public const string AuthRequired = "auth-required";
    public const string SenderRefused = "sender-refused";
    public const string ConnectionLost = "connection-lost";
    public const string NotTried = "not-tried";
}

/// <summary>Everything a probe found; the CLI's JSON and the stored probe carry the same facts.</summary>
public sealed record ProbeResult
{
    public required string Target { get; init; }
    public required string Host { get; init; }
    public required string Address { get; init; }
    public required int Port { get; init; }
    public required string ProbeKey { get; init; }
    public required string Verdict { get; init; }
    public required string Reason { get; init; }
    public required ProbeMode Mode { get; init; }
    public string Mta { get; init; } = MtaFingerprint.Unknown;
    public string? Banner { get; init; }
    public string? HostName { get; init; }
    public IReadOnlyList<string> Extensions { get; init; } = [];
    public bool UsedHelo { get; init; }
    public TlsInfo? Tls { get; init; }
    public IReadOnlyList<VariantResult> Variants { get; init; } = [];
    public IReadOnlyList<string> AcceptedVariants { get; init; } = [];

    /// <summary>Class of the variant the test message went through (<see cref="VariantClass"/>), if any.</summary>
    public string? AcceptedClass { get; init; }

    public string? DataVariant { get; init; }
    public string? DataReply { get; init; }
    public required string Token { get; init; }
    public required string CanaryAddress { get; init; }

    /// <summary>Message-ID of the test message, when one was sent.</summary>
    public string? MessageId { get; init; }

    /// <summary>The test message exactly as submitted (evidence), when one was sent.</summary>
    public string? TestMessage { get; init; }

    public int Sessions { get; init; }

    /// <summary>Relay-test variants the dialogue meant to try (0 when it never got that far).</summary>
    public int VariantsPlanned { get; init; }

    /// <summary>Variants actually tried (an answer or a lost connection); fewer than planned means it was cut off.</summary>
    public int VariantsTried { get; init; }
    public IReadOnlyList<TranscriptLine> Transcript { get; init; } = [];
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
}
