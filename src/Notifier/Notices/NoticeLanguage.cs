namespace Notifier.Notices;

/// <summary>The languages the templates are written in. Anything else (or nothing) gets English.</summary>
public static class NoticeLanguage
{
    public const string English = "en";
    public const string German = "de";

    /// <summary>
    /// The countries where German is the (or an) official language the abuse desks there work in: Germany, Austria,
    /// Switzerland, Liechtenstein. Switzerland also speaks French and Italian; German is its largest language.
    /// </summary>
    private static readonly HashSet<string> GermanCountries = new(["DE", "AT", "CH", "LI"], StringComparer.OrdinalIgnoreCase);

    /// <summary>German for an ISO 3166-1 alpha-2 code of <see cref="GermanCountries"/>; English for any other or none.</summary>
    public static string ForCountry(string? country) =>
        country is not null && GermanCountries.Contains(country.Trim()) ? German : English;

    /// <summary><c>de</c>, <c>DE</c>, <c>de-AT</c>, <c>de_CH</c> are German; everything else is English.</summary>
    public static string Normalize(string? language)
    {
        if (string.IsNullOrWhiteSpace(language)) return English;
        var primary = language.Trim().Split('-', '_')[0];
        return string.Equals(primary, German, StringComparison.OrdinalIgnoreCase) ? German : English;
    }
}
