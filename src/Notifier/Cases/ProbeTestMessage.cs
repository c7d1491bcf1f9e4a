namespace Notifier.Cases;

/// <summary>
/// One test message of a probe: the first (sent by the probe itself) and up to two further ones through accepted
/// variants of another class when no canary arrived. Each has its own token; the first that arrives decides, and
/// its variant is the one that really relays.
/// </summary>
public sealed class ProbeTestMessage
{
    public int Id { get; set; }

    public int ProbeId { get; set; }

    public Probe? Probe { get; set; }

    /// <summary>1 for the probe's own message, then 2, 3: unique per probe, so a job run twice cannot send twice.</summary>
    public int Sequence { get; set; }

    public required string Variant { get; set; }

    public string? VariantClass { get; set; }

    /// <summary><see cref="TestMessageStatus"/>.</summary>
    public string Status { get; set; } = TestMessageStatus.Queued;

    /// <summary>The token the message carries (null until sent); the canary is matched on it.</summary>
    public string? Token { get; set; }

    /// <summary>The probed end point the token was made for (<c>address:port</c>).</summary>
    public required string Target { get; set; }

    /// <summary>The name the server gave in its banner; a Received hop naming it (by reverse DNS) counts as the target.</summary>
    public string? TargetHostName { get; set; }

    public string? MessageId { get; set; }

    public DateTimeOffset QueuedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>
    /// While <c>sending</c>: the node whose job claimed it and until when. A claim whose lease ran out (or whose node
    /// restarted) was interrupted mid-send; see <see cref="TestMessageStatus.Interrupted"/>.
    /// </summary>
    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseUntil { get; set; }

    /// <summary>The server's final reply to DATA, or why no message went out.</summary>
    public string? DataReply { get; set; }

    public DateTimeOffset? ArrivedAt { get; set; }

    public long? InboundMessageId { get; set; }
}

public static class TestMessageStatus
{
    public const string Queued = "queued";
    public const string Sending = "sending";

    /// <summary>The relay accepted the message (250 after DATA): waiting for the canary.</summary>
    public const string Sent = "sent";

    /// <summary>The relay did not take it this time (recipient or DATA refused, connection failed).</summary>
    public const string NotSent = "not-sent";

    /// <summary>
    /// The job that claimed it stopped mid-send (process killed, node restarted): the relay may or may not have taken
    /// the message. It is never sent again (a second copy could not be told from the first, and the desk promises
    /// one message per claim); its token was stored before the send, so a canary that does arrive still counts.
    /// </summary>
    public const string Interrupted = "interrupted";

    /// <summary>The canary arrived.</summary>
    public const string Arrived = "arrived";
}
