namespace Notifier.Notices;

/// <summary>The languages the templates are written in. Anything else (or nothing) gets English.</summary>
public static class NoticeLanguage
{
    public const string English = "en";
    public const string German = "de";

    /// <summary><c>de</c>, <c>DE</c>, <c>de-AT</c>, <c>de_CH</c> are German; everything else is English.</summary>
    public static string Normalize(string? language)
    {
        if (string.IsNullOrWhiteSpace(language)) return English;
        var primary = language.Trim().Split('-', '_')[0];
        return string.Equals(primary, German, StringComparison.OrdinalIgnoreCase) ? German : English;
    }
}
