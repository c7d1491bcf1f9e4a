using System.Text.Json.Serialization;

namespace Notifier.Probing;

/// <summary>
/// How much of the variant list a probe tries, and whether it sends the test message. One type end to end: the
/// CLI's <c>--full</c> / <c>--rcpt-only</c>, <c>Cases:ProbeMode</c> (quick or full: an initial probe proves relaying
/// with a test message) and retests (rcpt-only) set it, the probe row stores it, ProbeJob hands it to the dialogue,
/// and the result and the API carry it. Its text is <c>quick</c> / <c>full</c> / <c>rcpt-only</c> everywhere: in
/// JSON through the names below, in the database column and in messages through <see cref="ProbeModeText"/>.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeMode>))]
public enum ProbeMode
{
    /// <summary>Stop at the first accepted recipient and send the one test message there.</summary>
    [JsonStringEnumMemberName("quick")]
    Quick,

    /// <summary>Try every variant (RCPT only), then one test message on the first accepted.</summary>
    [JsonStringEnumMemberName("full")]
    Full,

    /// <summary>
    /// RCPT only, never DATA: stop at the first accepted recipient and send no test message. A retest of a relay
    /// already proven open: the verdict is rcpt-accepted, closed or temp-refused, and the owner gets no second message.
    /// </summary>
    [JsonStringEnumMemberName("rcpt-only")]
    RcptOnly,
}

/// <summary>The stored and shown text of a <see cref="ProbeMode"/>: the same words as its JSON names.</summary>
public static class ProbeModeText
{
    public const string Quick = "quick";
    public const string Full = "full";
    public const string RcptOnly = "rcpt-only";

    public static string ToText(this ProbeMode mode) => mode switch
    {
        ProbeMode.Quick => Quick,
        ProbeMode.Full => Full,
        ProbeMode.RcptOnly => RcptOnly,
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a probe mode"),
    };

    /// <summary>Reads <c>quick</c>, <c>full</c> or <c>rcpt-only</c> (as stored); anything else is a corrupt value, not a default.</summary>
    public static ProbeMode Parse(string text) => text switch
    {
        Quick => ProbeMode.Quick,
        Full => ProbeMode.Full,
        RcptOnly => ProbeMode.RcptOnly,
        _ => throw new FormatException($"\"{text}\" is not a probe mode (quick, full or rcpt-only)"),
    };
}
