using System.Globalization;
using System.Text.RegularExpressions;

namespace Notifier.Tests.Telemetry;

/// <summary>One sample of a scrape: <c>name{label="value",…} 12</c> (Prometheus text exposition format 0.0.4).</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>A /metrics answer read the way Prometheus reads it, for assertions on names, labels and values.</summary>
public sealed partial class PrometheusScrape(IReadOnlyList<PrometheusSample> samples)
{
    public IReadOnlyList<PrometheusSample> Samples { get; } = samples;

    public static PrometheusScrape Parse(string text) => new(text.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => SampleLine().Match(l))
        .Where(m => m.Success)
        .Select(m => new PrometheusSample(
            m.Groups["name"].Value,
            LabelPair().Matches(m.Groups["labels"].Value).ToDictionary(p => p.Groups[1].Value, p => Regex.Unescape(p.Groups[2].Value), StringComparer.Ordinal),
            double.Parse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture)))
        .ToList());

    /// <summary>The samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/> ("key=value").</summary>
    public IEnumerable<PrometheusSample> Of(string name, params string[] labels) => Samples.Where(s => s.Name == name
        && labels.Select(l => l.Split('=', 2)).All(kv => s.Labels.TryGetValue(kv[0], out var v) && v == kv[1]));

    /// <summary>The sum of those samples' values (0 when there is none).</summary>
    public double Sum(string name, params string[] labels) => Of(name, labels).Sum(s => s.Value);

    public bool Has(string name) => Samples.Any(s => s.Name == name);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+-?\d+)?\s*$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
