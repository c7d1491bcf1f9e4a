namespace Notifier.Cases;

/// <summary>
/// The bounds of a page of cases, for the API and the queue page alike. The upper bound on the page number keeps
/// <c>(page - 1) * pageSize</c> inside an int: past it the offset overflowed and a far page silently showed page 1.
/// </summary>
public static class CasePaging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = int.MaxValue / MaxPageSize;

    /// <summary>
    /// Reads a page number as typed (<c>?page=</c>, <c>?p=</c>): absent gives page 1; anything but a whole number in
    /// range gives the reason. Read from text, not bound as an int, because the framework's own binding failure for
    /// <c>page=abc</c> or a number past int is a bare 400 that names no field.
    /// </summary>
    public static string? ReadPage(string? text, out int page) => Read(text, 1, MaxPage, out page);

    /// <summary>Reads a page size as typed; absent gives <see cref="DefaultPageSize"/>.</summary>
    public static string? ReadPageSize(string? text, out int pageSize) => Read(text, DefaultPageSize, MaxPageSize, out pageSize);

    private static string? Read(string? text, int fallback, int max, out int value)
    {
        value = fallback;
        if (text is null) return null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max)
        {
            value = n;
            return null;
        }
        return $"must be a whole number from 1 to {max}";
    }

    /// <summary>The number of rows before the page; in range for every page that <see cref="ReadPage"/> accepts.</summary>
    public static int Offset(int page, int pageSize) => checked((page - 1) * pageSize);
}
