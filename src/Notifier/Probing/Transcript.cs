using System.Text;

namespace Notifier.Probing;

/// <summary>
/// Collects the evidence of one probe. One probe runs one dialogue at a time, so no locking. <paramref name="written"/>
/// (<see cref="ProbeRequest.LineWritten"/>) sees every line as it is added, for a caller that shows the dialogue live.
/// </summary>
public sealed class Transcript(TimeProvider time, Action<TranscriptLine>? written = null)
{
    private readonly List<TranscriptLine> _lines = [];

    public IReadOnlyList<TranscriptLine> Lines => _lines;

    public void Add(string dir, string line)
    {
        var added = new TranscriptLine(time.GetUtcNow(), dir, Printable(line));
        _lines.Add(added);
        written?.Invoke(added);
    }

    public void Info(string line) => Add(TranscriptLine.Info, line);

    public void Error(string line) => Add(TranscriptLine.Error, line);

    /// <summary>Control characters and bytes a hostile peer sends are shown escaped, never interpreted by a terminal.</summary>
    public static string Printable(string s)
    {
        var needs = false;
        foreach (var ch in s)
        {
            if (char.IsControl(ch) && ch != '\t') { needs = true; break; }
        }
        if (!needs) return s;
        var sb = new StringBuilder(s.Length + 8);
        foreach (var ch in s)
        {
            if (char.IsControl(ch) && ch != '\t') sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{(int)ch:x2}");
            else sb.Append(ch);
        }
        return sb.ToString();
    }
}
