namespace Notifier.Cases;

/// <summary>A spam message that came through the relay: evidence for the case.</summary>
public sealed class Sample
{
    public int Id { get; set; }

    public int CaseId { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public string? Subject { get; set; }

    public string? From { get; set; }

    public string? MessageId { get; set; }

    public DateTimeOffset? Date { get; set; }

    /// <summary>The Received hops as parsed, JSON.</summary>
    public string? HopsJson { get; set; }

    public required byte[] Raw { get; set; }
}
