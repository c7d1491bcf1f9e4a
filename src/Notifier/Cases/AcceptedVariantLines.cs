using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// Which lines of a probe's transcript belong to a variant the server accepted, so the case page can mark them (here, beside the probe evidence it reads, since pages use nothing of Probing): a
/// variant's block runs from its <c>MAIL FROM</c> (RFC 5321 §3.3: MAIL, RCPT, then DATA make one mail transaction)
/// up to the next transaction's <c>RSET</c> or <c>MAIL FROM</c>, or the <c>QUIT</c>; it includes the RCPT line, the
/// server's answer and, for the variant that carried the test message, the DATA exchange. A block is matched to a
/// variant by the envelope it sent (sender and recipient as <see cref="VariantResult"/> records them) rather than
/// by position, since a dropped session, a STARTTLS demand or a quick probe's early stop shift the positions.
/// </summary>
public static class AcceptedVariantLines
{
    /// <summary>For each line of <paramref name="transcript"/>, whether it is part of an accepted variant's block.</summary>
    public static bool[] Mark(IReadOnlyList<TranscriptLine> transcript, IReadOnlyList<VariantResult>? variants)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var marks = new bool[transcript.Count];
        var accepted = (variants ?? []).Where(v => v.Accepted).Select(v => (v.MailFrom, v.RcptTo)).ToHashSet();
        if (accepted.Count == 0) return marks;
        int? start = null;
        string? from = null, rcpt = null;
        void Close(int end)
        {
            if (start is { } s && from is not null && rcpt is not null && accepted.Contains((from, rcpt)))
                for (var i = s; i < end; i++) marks[i] = true;
        }
        for (var i = 0; i < transcript.Count; i++)
        {
            var l = transcript[i];
            if (l.Dir is not (TranscriptLine.Sent or TranscriptLine.SentTls)) continue;
            if (Starts(l.Line, "RSET") || Starts(l.Line, "QUIT"))
            {
                Close(i);
                start = null;
                from = rcpt = null;
            }
            else if (Starts(l.Line, "MAIL FROM:"))
            {
                // The same MAIL FROM again after a STARTTLS demand (no RCPT yet) stays one block.
                if (start is null || rcpt is not null || Path(l.Line) != from)
                {
                    Close(i);
                    start = i;
                }
                from = Path(l.Line);
                rcpt = null;
            }
            else if (Starts(l.Line, "RCPT TO:") && start is not null) rcpt = Path(l.Line);
        }
        Close(transcript.Count);
        return marks;
    }

    private static bool Starts(string line, string verb) => line.StartsWith(verb, StringComparison.OrdinalIgnoreCase);

    /// <summary>The path between the angle brackets (<c>MAIL FROM:&lt;&gt;</c> is the null sender, "").</summary>
    private static string? Path(string line)
    {
        var open = line.IndexOf('<', StringComparison.Ordinal);
        var close = line.LastIndexOf('>');
        return open >= 0 && close > open ? line[(open + 1)..close] : null;
    }
}
