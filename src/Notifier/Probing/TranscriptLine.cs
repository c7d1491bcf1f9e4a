namespace Notifier.Probing;

/// <summary>
/// One line of evidence. <see cref="Dir"/> follows swaks: <c>-&gt;</c> sent and <c>&lt;-</c> received in clear,
/// <c>~&gt;</c> and <c>&lt;~</c> under TLS, <c>==</c> what the prober did or learnt, <c>**</c> an error.
/// </summary>
public sealed record TranscriptLine(DateTimeOffset At, string Dir, string Line)
{
    public const string Sent = "->";
    public const string Received = "<-";
    public const string SentTls = "~>";
    public const string ReceivedTls = "<~";
    public const string Info = "==";
    public const string Error = "**";

    public override string ToString() =>
        $"{At.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ} {Dir} {Line}";
}
