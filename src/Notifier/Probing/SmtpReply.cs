namespace Notifier.Probing;

/// <summary>A complete (possibly multi-line) SMTP reply, RFC 5321 §4.2.</summary>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositive => Code is >= 200 and < 400;
    public bool IsTransient => Code is >= 400 and < 500;
    public bool IsPermanent => Code >= 500;

    /// <summary>The text after the codes, lines joined with a space.</summary>
    public string Text => string.Join(' ', Lines.Select(l => l.Length > 4 ? l[4..] : ""));

    /// <summary>The first line as received, e.g. <c>554 5.7.1 &lt;x@y&gt;: Relay access denied</c>.</summary>
    public override string ToString() => Lines.Count == 0 ? Code.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Join(" / ", Lines);
}
