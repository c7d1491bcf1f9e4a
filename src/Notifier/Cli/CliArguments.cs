namespace Notifier.Cli;

/// <summary>
/// A small, strict parser: positional words and <c>--name value</c> / <c>--flag</c> options. Every option a verb
/// does not know is an error, so a typo never silently probes with defaults.
/// </summary>
public sealed class CliArguments
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _repeated = new(StringComparer.Ordinal);

    public List<string> Positional { get; } = [];

    public static CliArguments Parse(IEnumerable<string> args, IReadOnlySet<string> flags, IReadOnlySet<string> valued)
    {
        var result = new CliArguments();
        using var e = args.GetEnumerator();
        while (e.MoveNext())
        {
            var a = e.Current;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var eq = a.IndexOf('=', StringComparison.Ordinal);
                var name = eq > 0 ? a[..eq] : a;
                if (flags.Contains(name))
                {
                    if (eq > 0) throw new CliUsageException($"{name} takes no value");
                    result._options[name] = null;
                }
                else if (valued.Contains(name))
                {
                    string value;
                    if (eq > 0) value = a[(eq + 1)..];
                    else if (e.MoveNext()) value = e.Current;
                    else throw new CliUsageException($"{name} needs a value");
                    result._options[name] = value;
                    if (!result._repeated.TryGetValue(name, out var all)) result._repeated[name] = all = [];
                    all.Add(value);
                }
                else throw new CliUsageException($"unknown option {name}");
            }
            else result.Positional.Add(a);
        }
        return result;
    }

    public bool Has(string name) => _options.ContainsKey(name);

    /// <summary>The value of an option given once (given again, the last one counts).</summary>
    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    /// <summary>Every value of a repeatable option, in the order given; empty when it was not given.</summary>
    public IReadOnlyList<string> Values(string name) => _repeated.TryGetValue(name, out var all) ? all : [];

    public int? WholeNumber(string name, int min, int max)
    {
        var v = Value(name);
        if (v is null) return null;
        if (!int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw new CliUsageException($"{name} must be a whole number from {min} to {max}, not \"{v}\"");
        return n;
    }

    public double? Seconds(string name, double min, double max)
    {
        var v = Value(name);
        if (v is null) return null;
        if (!double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) || s < min || s > max)
            throw new CliUsageException($"{name} must be a number of seconds from {min} to {max}, not \"{v}\"");
        return s;
    }
}
