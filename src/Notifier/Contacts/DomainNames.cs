using System.Globalization;

namespace Notifier.Contacts;

/// <summary>
/// Domain names in the one form we compare and query: ASCII (IDNA A-labels, "xn--…"), lower case, no trailing dot.
/// DNS carries A-labels, the PSL is written in U-labels and operators type either, so everything meets here.
/// </summary>
public static class DomainNames
{
    // STD3 rules would reject "_", which real PTR names contain; labels are checked below instead.
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = false };

    /// <summary>The ASCII form, or null when the text is not a host name.</summary>
    public static string? ToAscii(string name)
    {
        var trimmed = name.Trim().TrimEnd('.');
        if (trimmed.Length is 0 or > 253) return null;
        string ascii;
        try
        {
            // Lower case first: in invariant-globalization mode IdnMapping does not case-fold, and "BÜCHER" would
            // encode to a different A-label than "bücher".
            ascii = Idn.GetAscii(trimmed.ToLowerInvariant()).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
        foreach (var label in ascii.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-') return null;
            if (!label.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')) return null;
        }
        return ascii;
    }

    /// <summary>The readable (Unicode) form for display; the ASCII form when it cannot be decoded.</summary>
    public static string ToUnicode(string ascii)
    {
        try
        {
            return Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            return ascii;
        }
    }

    /// <summary>True when <paramref name="name"/> is <paramref name="domain"/> or below it.</summary>
    public static bool IsEqualOrBelow(string name, string domain) =>
        name.Equals(domain, StringComparison.Ordinal) || name.EndsWith("." + domain, StringComparison.Ordinal);
}
