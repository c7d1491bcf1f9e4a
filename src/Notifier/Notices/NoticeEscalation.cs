namespace Notifier.Notices;

/// <summary>Why an Escalation goes to the upstream network: who was told first, when, and what they did.</summary>
public sealed record NoticeEscalation
{
    /// <summary>
    /// The upstream network as RDAP names it for the recipient (handle, name, range: <c>NET-EXAMPLE-TRANSIT (Example
    /// Transit) 192.0.0.0/16</c>); null when the recipient's provenance names no RDAP network (a manual contact).
    /// </summary>
    public string? Network { get; init; }

    /// <summary>The addresses notified before, none of which closed the relay, in the order they were first told.</summary>
    public required IReadOnlyList<string> EarlierRecipients { get; init; }

    /// <summary>When the first notice about the relay went out; null when nobody was notified yet (a preview).</summary>
    public DateTimeOffset? FirstNotifiedAt { get; init; }

    /// <summary>How many notices the earlier recipients got (sent on their own or inside another's message).</summary>
    public int NoticesSent { get; init; }
}
