namespace Notifier.Notices;

/// <summary>Why an Escalation goes to the upstream network: who was told first, when, and what they did.</summary>
public sealed record NoticeEscalation
{
    /// <summary>The upstream network as RDAP names it (handle, name, range).</summary>
    public required string Network { get; init; }

    /// <summary>The addresses notified before, none of which closed the relay.</summary>
    public required IReadOnlyList<string> EarlierRecipients { get; init; }

    public required DateTimeOffset FirstNotifiedAt { get; init; }

    public int NoticesSent { get; init; }
}
