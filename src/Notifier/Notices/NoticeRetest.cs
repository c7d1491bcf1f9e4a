namespace Notifier.Notices;

/// <summary>The latest retest of the relays a follow-up notice is about.</summary>
public sealed record NoticeRetest
{
    public required DateTimeOffset At { get; init; }

    /// <summary>The retest's verdict (<c>open</c> → still open, <c>closed</c> → resolved).</summary>
    public required string Verdict { get; init; }

    /// <summary>When the next retest is planned, if the relay is still open.</summary>
    public DateTimeOffset? NextRetestAt { get; init; }
}
