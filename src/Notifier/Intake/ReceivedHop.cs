namespace Notifier.Intake;

/// <summary>
/// One Received trace header (RFC 5321 §4.4) of a spam sample, as parsed, and its role in the walk.
/// <see cref="Number"/> counts from the top: 1 is the newest header, written by the MTA that delivered the sample.
/// </summary>
/// <param name="Raw">The header value, unfolded.</param>
/// <param name="FromName">The name after <c>from</c> as the client gave it (HELO/EHLO), or Exim's verified name; the client chooses it.</param>
/// <param name="FromReverseDns">The client's name as the receiving MTA looked it up (reverse DNS), when the header shows one.</param>
/// <param name="FromIp">The connecting IP address, in canonical text.</param>
/// <param name="By">The receiving host's name.</param>
/// <param name="ByIp">The receiving host's address, when the header shows one (Exchange does).</param>
/// <param name="With">The protocol (<c>ESMTPS</c>, <c>SMTP</c>, <c>local</c>, <c>Microsoft SMTP Server</c>).</param>
/// <param name="Date">The time the hop was received, when it parses.</param>
public sealed record ReceivedHop(
    int Number,
    string Raw,
    string? FromName,
    string? FromReverseDns,
    string? FromIp,
    string? By,
    string? ByIp,
    string? With,
    DateTimeOffset? Date,
    HopRole Role)
{
    /// <summary>Whether the hop is between our own hosts (or local), so the header below it is true too.</summary>
    public bool IsTrusted => Role is HopRole.Trusted or HopRole.Local;
}
