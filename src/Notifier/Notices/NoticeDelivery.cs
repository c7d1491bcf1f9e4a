namespace Notifier.Notices;

/// <summary>How handing a notice on went.</summary>
public enum NoticeDeliveryOutcome
{
    /// <summary>The smarthost took it (250 after DATA) or the outbox file is written.</summary>
    Accepted,

    /// <summary>A permanent refusal of the recipient or the message (5xx): the next ranked contact should get it.</summary>
    Rejected,

    /// <summary>A temporary failure (4xx, connection refused, timeout, a full disk) before anything was handed over: retry with backoff.</summary>
    Deferred,

    /// <summary>
    /// May have been handed over: the connection dropped or timed out after the smarthost accepted the recipient, so
    /// the message may be in its queue although no 250 after DATA arrived. Never retried by itself (a recipient must
    /// not get a notice twice): recorded as interrupted, and an operator resends after checking the smarthost's log.
    /// </summary>
    Uncertain,
}

/// <param name="Detail">The server's reply or the error, for the case timeline.</param>
/// <param name="Location">Where it went: the smarthost's queue id reply or the outbox file's path.</param>
public sealed record NoticeDelivery(NoticeDeliveryOutcome Outcome, string Detail, string? Location = null);
