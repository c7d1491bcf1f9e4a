using System.Globalization;
using System.Text.RegularExpressions;

namespace Notifier.Cases;

/// <summary>The human reference of a case, <c>NR-000123</c>: in subjects, on the phone, in replies.</summary>
public static partial class CaseReference
{
    public static string Format(int id) => string.Create(CultureInfo.InvariantCulture, $"NR-{id:D6}");

    /// <summary>Finds <c>NR-000123</c> (or <c>[NR-000123]</c>) in text such as a reply's subject.</summary>
    public static int? Find(string? text)
    {
        if (text is null) return null;
        var m = ReferenceRegex().Match(text);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// What an operator types to name a case: its reference (<c>NR-000123</c>, with or without brackets, any case) or
    /// its id (<c>123</c>). Null when it is neither.
    /// </summary>
    public static int? Parse(string? text)
    {
        var t = text?.Trim().Trim('[', ']');
        if (string.IsNullOrEmpty(t)) return null;
        if (int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return id > 0 ? id : null;
        var m = ReferenceRegex().Match(t);
        return m.Success && m.Length == t.Length && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 ? id : null;
    }

    [GeneratedRegex(@"\bNR-(\d{6,9})\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReferenceRegex();
}
