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

    /// <summary>Why <paramref name="page"/> is out of range, or null.</summary>
    public static string? PageError(int? page) => page is < 1 or > MaxPage ? $"must be from 1 to {MaxPage}" : null;

    public static string? PageSizeError(int? pageSize) => pageSize is < 1 or > MaxPageSize ? $"must be from 1 to {MaxPageSize}" : null;

    /// <summary>The number of rows before the page; in range for every page that passes <see cref="PageError"/>.</summary>
    public static int Offset(int page, int pageSize) => checked((page - 1) * pageSize);
}
