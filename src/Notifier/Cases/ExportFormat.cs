namespace Notifier.Cases;

/// <summary>How an export is written: CSV (RFC 4180, a header row) for spreadsheets, JSON (an array of the API's DTOs) for programs.</summary>
public enum ExportFormat
{
    Csv,
    Json,
}

public static class ExportFormats
{
    /// <summary>The format named <paramref name="text"/> (<c>csv</c>, <c>json</c>; absent: CSV), or null for anything else.</summary>
    public static ExportFormat? Read(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "csv" => ExportFormat.Csv,
        "json" => ExportFormat.Json,
        _ => null,
    };

    public static string ContentType(this ExportFormat format) => format == ExportFormat.Json ? "application/json; charset=utf-8" : "text/csv; charset=utf-8";

    public static string Extension(this ExportFormat format) => format == ExportFormat.Json ? "json" : "csv";
}
