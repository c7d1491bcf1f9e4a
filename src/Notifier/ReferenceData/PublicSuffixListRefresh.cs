using System.Text;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;

namespace Notifier.ReferenceData;

/// <summary>
/// Keeps the process's one <see cref="PublicSuffixList"/> fresh: at start the copy downloaded earlier (in
/// <see cref="ReferenceDataOptions.Directory"/>) if it is there and valid, else the shipped one; then, when
/// <see cref="ReferenceDataOptions.PublicSuffixListUrl"/> is set, a conditional GET (ETag / Last-Modified, so an
/// unchanged list costs a 304) whose answer replaces the list only once it reads as a real list. A failed or broken
/// download keeps the copy in use and says why, so a bad mirror never leaves lookups without the list.
/// </summary>
public sealed class PublicSuffixListRefresh(IHttpClientFactory http, IOptions<ReferenceDataOptions> options, IOptions<ContactsOptions> contacts,
    PublicSuffixList list, TimeProvider time, ILogger<PublicSuffixListRefresh> log)
{
    public const string HttpClientName = "reference-data";
    public const string FileName = "public_suffix_list.dat";

    /// <summary>The list has about 9,000 rules (7,000 in its ICANN section); far fewer is a truncated or wrong file.</summary>
    public const int MinRules = 1000;

    private const string IcannMarker = "// ===BEGIN ICANN DOMAINS===";

    public static string ShippedPath => Path.Combine(RdapBootstrapSource.ShippedDirectory, FileName);

    private readonly Lock _lock = new();
    private ReferenceCopy? _inUse;

    public string StoredPath => Path.GetFullPath(Path.Combine(options.Value.Directory, FileName));

    /// <summary>The copy the lookups use now.</summary>
    public ReferenceCopy InUse
    {
        get
        {
            lock (_lock) return _inUse ??= Load();
        }
    }

    /// <summary>Puts the stored copy in use if there is a valid one (called at start); the shipped copy otherwise.</summary>
    public ReferenceCopy Load()
    {
        ReferenceCopy copy;
        if (File.Exists(StoredPath) && ReferenceCopy.Read(StoredPath) is { } stored && Validate(File.ReadAllBytes(StoredPath), out var parsed) is null)
        {
            list.ReplaceWith(parsed!);
            copy = stored;
        }
        else copy = ReferenceCopy.Read(ShippedPath) ?? new ReferenceCopy("shipped copy", DateTimeOffset.UnixEpoch);
        lock (_lock) _inUse = copy;
        return copy;
    }

    /// <summary>
    /// Whether the service should refresh now rather than wait for the schedule: a URL is set and the copy in use is
    /// not from it (a new install, a changed URL) or was last fetched longer ago than the schedule's day.
    /// </summary>
    public bool IsDue(DateTimeOffset now) => !string.IsNullOrWhiteSpace(options.Value.PublicSuffixListUrl)
        && ReferenceCopy.IsDue(InUse, options.Value.PublicSuffixListUrl, now);

    /// <summary>One refresh: what happened, in words (also logged).</summary>
    public async Task<string> RefreshAsync(CancellationToken ct)
    {
        var url = options.Value.PublicSuffixListUrl;
        if (string.IsNullOrWhiteSpace(url)) return "not configured (ReferenceData:PublicSuffixListUrl); the copy in use stays";
        var current = InUse;
        var download = await ReferenceDownload.GetAsync(http.CreateClient(HttpClientName), url, current, options.Value.MaxBytes, ct);
        var now = time.GetUtcNow();
        if (download.NotModified)
        {
            Use(current with { FetchedAt = now }, null);
            return Done($"{url} is unchanged (304); the copy in use stays");
        }
        if (download.Problem is { } failed) return Kept(url, failed);
        if (Validate(download.Body!, out var parsed) is { } problem) return Kept(url, problem);
        var copy = new ReferenceCopy(url, download.LastModified ?? now, now, download.ETag, download.LastModified);
        if (ReferenceCopy.TryStore(copy, StoredPath, download.Body!) is { } unwritable) return Kept(url, unwritable);
        Use(copy, parsed);
        return Done($"{url} replaced the list in use ({parsed!.RuleCount} rules, published {copy.PublishedAt.UtcDateTime:yyyy-MM-dd})");
    }

    /// <summary>Why <paramref name="body"/> is no Public Suffix List, or null when it is one (then <paramref name="parsed"/>).</summary>
    private string? Validate(byte[] body, out PublicSuffixList? parsed)
    {
        parsed = null;
        if (!System.Text.Unicode.Utf8.IsValid(body)) return "is not UTF-8 text";
        var text = Encoding.UTF8.GetString(body);
        if (!text.Contains(IcannMarker, StringComparison.Ordinal)) return $"has no \"{IcannMarker}\" line";
        var candidate = PublicSuffixList.Parse(text.Split('\n'), contacts.Value.IncludePrivateSuffixes);
        if (candidate.RuleCount < MinRules) return $"has {candidate.RuleCount} rules, fewer than the {MinRules} of any real list";
        // Two answers every list since 2007 gives: a one-label and a two-label suffix.
        if (candidate.GetRegistrableDomain("www.example.com") != "example.com" || candidate.GetRegistrableDomain("www.example.co.uk") != "example.co.uk")
            return "does not give example.com and example.co.uk as registrable domains";
        parsed = candidate;
        return null;
    }

    private void Use(ReferenceCopy copy, PublicSuffixList? parsed)
    {
        if (parsed is not null) list.ReplaceWith(parsed);
        else if (copy.Origin != ReferenceCopy.Read(ShippedPath)?.Origin && File.Exists(StoredPath)) copy.WriteBeside(StoredPath);
        lock (_lock) _inUse = copy;
    }

    private string Done(string what)
    {
        log.LogInformation("Public Suffix List: {Outcome}", what);
        return what;
    }

    private string Kept(string url, string problem)
    {
        var copy = InUse;
        log.LogWarning("Public Suffix List: {Url} {Problem}; kept the copy in use ({Origin}, published {PublishedAt:yyyy-MM-dd})", url, problem, copy.Origin, copy.PublishedAt);
        return $"{url} {problem}; kept the copy in use ({copy.Origin})";
    }
}
