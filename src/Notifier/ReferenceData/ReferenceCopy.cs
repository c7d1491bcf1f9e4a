using System.Text.Json;

namespace Notifier.ReferenceData;

/// <summary>
/// What is known of a copy of reference data, kept beside it as <c>&lt;file&gt;.json</c>: where it came from, when
/// it was published (the server's Last-Modified, else when it was fetched; for the shipped copy, its release), and
/// the validators of the conditional GET that refreshes it (RFC 9110 section 13: If-None-Match, If-Modified-Since).
/// </summary>
public sealed record ReferenceCopy(string Origin, DateTimeOffset PublishedAt, DateTimeOffset? FetchedAt = null, string? ETag = null,
    DateTimeOffset? LastModified = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string SidecarOf(string path) => path + ".json";

    /// <summary>The sidecar of <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static ReferenceCopy? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ReferenceCopy>(File.ReadAllText(SidecarOf(path)), Json);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Why this copy is too old to trust, or null: older than <paramref name="maxAge"/> (from <c>ReferenceData:MaxAge</c>).</summary>
    public string? AgeWarning(string what, DateTimeOffset now, TimeSpan maxAge) =>
        now - PublishedAt <= maxAge ? null
            : $"the {what} in use ({Origin}) was published {PublishedAt.UtcDateTime:yyyy-MM-dd}, more than {maxAge.TotalDays:0} days ago; "
              + $"set ReferenceData:PublicSuffixListUrl (e.g. {ReferenceDataOptions.PublicSuffixListOfficialUrl}) so it is refreshed daily";

    public void WriteBeside(string path) => File.WriteAllText(SidecarOf(path), JsonSerializer.Serialize(this, Json));
}
