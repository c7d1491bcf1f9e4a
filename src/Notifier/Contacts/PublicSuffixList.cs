namespace Notifier.Contacts;

/// <summary>
/// The Public Suffix List algorithm (https://github.com/publicsuffix/list/wiki/Format): the prevailing rule is an
/// exception rule if one matches, else the matching rule with most labels, else the implicit "*". The public suffix
/// is the name's last N labels (N = rule labels, minus one for an exception); the registrable domain adds one label.
/// By default only the ICANN section is used: the PRIVATE section makes every customer of e.g. amazonaws.com its
/// own "registrable domain", and abuse@&lt;customer-host&gt; reaches nobody, while abuse@amazonaws.com does.
/// </summary>
public sealed class PublicSuffixList
{
    // One reference, swapped whole by ReplaceWith: a lookup reads one list, never half of an old and half of a new one.
    private volatile RuleSets _sets = new();

    public int RuleCount => _sets.Count;

    /// <summary>
    /// Uses <paramref name="newer"/>'s rules from now on (a refreshed copy of the list): the one instance the lookups
    /// were given stays, so nothing that holds it needs to know of refreshes.
    /// </summary>
    public void ReplaceWith(PublicSuffixList newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        _sets = newer._sets;
    }

    public static PublicSuffixList Parse(IEnumerable<string> lines, bool includePrivate = false)
    {
        var list = new RuleSets();
        var inPrivate = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("// ===BEGIN PRIVATE DOMAINS===", StringComparison.Ordinal)) inPrivate = true;
            if (line.StartsWith("// ===END PRIVATE DOMAINS===", StringComparison.Ordinal)) inPrivate = false;
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal) || (inPrivate && !includePrivate)) continue;
            // The format says a rule ends at the first whitespace.
            var rule = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
            if (rule.StartsWith('!'))
            {
                if (DomainNames.ToAscii(rule[1..]) is { } e) list.Exceptions.Add(e);
            }
            else if (rule.StartsWith("*.", StringComparison.Ordinal))
            {
                if (DomainNames.ToAscii(rule[2..]) is { } w) list.Wildcards.Add(w);
            }
            else if (DomainNames.ToAscii(rule) is { } r) list.Rules.Add(r);
        }
        return new PublicSuffixList { _sets = list };
    }

    public static PublicSuffixList Load(string path, bool includePrivate = false) => Parse(File.ReadLines(path), includePrivate);

    /// <summary>The public suffix of a host name (ASCII form), or null for an invalid name.</summary>
    public string? GetPublicSuffix(string name)
    {
        var ascii = DomainNames.ToAscii(name);
        if (ascii is null) return null;
        var sets = _sets;
        var labels = ascii.Split('.');
        var n = labels.Length;
        var suffixLabels = 1; // the implicit "*" rule
        for (var i = n - 1; i >= 0; i--)
        {
            var candidate = string.Join('.', labels[i..]);
            // An exception wins over every other rule, whatever their length.
            if (sets.Exceptions.Contains(candidate))
            {
                suffixLabels = n - i - 1;
                return string.Join('.', labels[(n - suffixLabels)..]);
            }
            if (sets.Rules.Contains(candidate)) suffixLabels = Math.Max(suffixLabels, n - i);
            if (i + 1 < n && sets.Wildcards.Contains(string.Join('.', labels[(i + 1)..]))) suffixLabels = Math.Max(suffixLabels, n - i);
        }
        return string.Join('.', labels[(n - suffixLabels)..]);
    }

    /// <summary>The registrable domain (public suffix plus one label, ASCII), or null when the name is itself a public suffix.</summary>
    public string? GetRegistrableDomain(string name)
    {
        var ascii = DomainNames.ToAscii(name);
        if (ascii is null) return null;
        var suffix = GetPublicSuffix(ascii);
        if (suffix is null || suffix.Length >= ascii.Length) return null;
        var rest = ascii[..(ascii.Length - suffix.Length - 1)];
        var dot = rest.LastIndexOf('.');
        return (dot < 0 ? rest : rest[(dot + 1)..]) + "." + suffix;
    }

    private sealed class RuleSets
    {
        public HashSet<string> Rules { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Wildcards { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Exceptions { get; } = new(StringComparer.Ordinal);

        public int Count => Rules.Count + Wildcards.Count + Exceptions.Count;
    }
}
