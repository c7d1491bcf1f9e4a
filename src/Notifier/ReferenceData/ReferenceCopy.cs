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
    public string? AgeWarning(string what, DateTimeOffset now, TimeSpan maxAge) => AgeWarning(what, Origin, PublishedAt, now, maxAge,
        $"set ReferenceData:PublicSuffixListUrl (e.g. {ReferenceDataOptions.PublicSuffixListOfficialUrl}) so it is refreshed daily");

    /// <summary>Why a copy published at <paramref name="publishedAt"/> is too old, with what to do (<paramref name="remedy"/>), or null.</summary>
    public static string? AgeWarning(string what, string origin, DateTimeOffset publishedAt, DateTimeOffset now, TimeSpan maxAge, string remedy) =>
        now - publishedAt <= maxAge ? null
            : $"the {what} in use ({origin}) was published {publishedAt.UtcDateTime:yyyy-MM-dd}, more than {maxAge.TotalDays:0} days ago; {remedy}";

    public void WriteBeside(string path) => File.WriteAllText(SidecarOf(path), JsonSerializer.Serialize(this, Json));

    /// <summary>The schedule's period (ReferenceData:Cron runs daily): a copy fetched longer ago missed a run.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromDays(1);

    /// <summary>Whether <paramref name="copy"/> (null: none held) should be fetched again from <paramref name="url"/> now.</summary>
    public static bool IsDue(ReferenceCopy? copy, string url, DateTimeOffset now) =>
        copy is null || copy.Origin != url || copy.FetchedAt is not { } fetched || now - fetched >= RefreshPeriod;

    /// <summary><see cref="Store"/>, or why it failed (a full disk, a read-only directory), in words.</summary>
    public static string? TryStore(ReferenceCopy copy, string path, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(copy);
        try
        {
            copy.Store(path, body);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"could not be stored at {path} ({e.GetType().Name}: {e.Message})";
        }
    }

    /// <summary>
    /// Stores <paramref name="body"/> at <paramref name="path"/> with this sidecar. Written beside and moved over the
    /// stored copy: a crash mid-write never leaves half a file to load at start.
    /// </summary>
    public void Store(string path, byte[] body)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        File.WriteAllBytes(partial, body);
        File.Move(partial, path, overwrite: true);
        WriteBeside(path);
    }
}
