namespace Notifier.Probing;

/// <summary>Why a probe's dialogue stopped early; decides the verdict when no variant was accepted.</summary>
internal enum ProbeStop
{
    /// <summary>The dialogue ran to its planned end.</summary>
    None,

    /// <summary>No TCP connection (or it closed before any banner) on the first session.</summary>
    Unreachable,

    /// <summary>The peer broke the protocol, dropped too often, or the total time ran out.</summary>
    ProtocolError,

    /// <summary>A 4xx greeting or EHLO/HELO answer (RFC 5321 §3.1: 421/554 instead of 220).</summary>
    BannerTemporary,

    /// <summary>A 5xx greeting or a refusal of both EHLO and HELO.</summary>
    BannerPermanent,

    /// <summary>The connection was accepted but no banner came within the reply timeout (a tarpit).</summary>
    Timeout,

    /// <summary>The server demands STARTTLS (RFC 3207 §4) and the handshake already failed in this probe.</summary>
    TlsFailed,
}
