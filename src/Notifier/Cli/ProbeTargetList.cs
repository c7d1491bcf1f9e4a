namespace Notifier.Cli;

/// <summary>
/// The targets of <c>probe --file</c>, read like nmap's <c>-iL</c> list: one <c>host[:port]</c> per line (the same
/// forms as a single <c>probe</c> target), <c>#</c> to the end of the line a comment, blank lines skipped. A line
/// that is not a target is kept with its line number and why, so the run reports it and goes on; a target named
/// again is probed once (a second dialogue within Probing:MinIntervalPerTarget would only be throttled).
/// </summary>
public sealed record ProbeTargetList(IReadOnlyList<ProbeTargetList.Target> Targets, IReadOnlyList<ProbeTargetList.BadLine> BadLines,
    IReadOnlyList<ProbeTargetList.Repeat> Repeats)
{
    public sealed record Target(int Line, string Text, string Host, int? Port);

    /// <summary>A line that is not a target; <see cref="Reason"/> quotes the text.</summary>
    public sealed record BadLine(int Line, string Text, string Reason);

    public sealed record Repeat(int Line, int FirstLine, string Text);

    public static ProbeTargetList Parse(IEnumerable<string> lines, int? defaultPort)
    {
        var targets = new List<Target>();
        var bad = new List<BadLine>();
        var repeats = new List<Repeat>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var text = (hash < 0 ? raw : raw[..hash]).Trim();
            if (text.Length == 0) continue;
            if (text.Any(char.IsWhiteSpace))
            {
                bad.Add(new BadLine(number, text, $"\"{text}\": one target per line (host[:port])"));
                continue;
            }
            string host;
            int? port;
            try
            {
                (host, port) = HostPort.Parse(text);
            }
            catch (CliUsageException e)
            {
                bad.Add(new BadLine(number, text, e.Message));
                continue;
            }
            var key = $"{host}:{port ?? defaultPort ?? 25}";
            if (firstLineOf.TryGetValue(key, out var first))
            {
                repeats.Add(new Repeat(number, first, text));
                continue;
            }
            firstLineOf[key] = number;
            targets.Add(new Target(number, text, host, port));
        }
        return new ProbeTargetList(targets, bad, repeats);
    }
}
