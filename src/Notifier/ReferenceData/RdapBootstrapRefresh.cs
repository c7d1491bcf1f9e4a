using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Contacts.Rdap;

namespace Notifier.ReferenceData;

/// <summary>
/// Keeps the process's RDAP bootstrap (IANA's ipv4.json and ipv6.json, RFC 9224) fresh as the Public Suffix List is
/// kept: at start the copy stored earlier in <see cref="ReferenceDataOptions.Directory"/> if both files are there and
/// valid, else the shipped one; then, when <see cref="ContactsOptions.RdapBootstrapUrl"/> is set, a conditional GET of
/// each file (an unchanged one costs a 304) whose answers replace the bootstrap only once both read as a real one.
/// A failed or broken download keeps the copy in use, says why in the log and in the lookups' evidence.
/// </summary>
public sealed class RdapBootstrapRefresh(IHttpClientFactory http, IOptions<ReferenceDataOptions> options, IOptions<ContactsOptions> contacts,
    RdapBootstrapSource source, TimeProvider time, ILogger<RdapBootstrapRefresh> log)
{
    private readonly Lock _lock = new();

    // What is known of each stored file in use (origin, ETag, dates), by file name; empty while the shipped copy is in use.
    private Dictionary<string, ReferenceCopy> _copies = [];

    public string StoredPath(string file) => Path.GetFullPath(Path.Combine(options.Value.Directory, file));

    /// <summary>The stored copies in use, by file name (none for the shipped copy).</summary>
    public IReadOnlyDictionary<string, ReferenceCopy> InUse
    {
        get
        {
            lock (_lock) return _copies;
        }
    }

    /// <summary>Puts the stored copy in use if both files are there and valid (called at start); the shipped copy otherwise.</summary>
    public RdapBootstrap Load()
    {
        var copies = new Dictionary<string, ReferenceCopy>();
        var bodies = new Dictionary<string, byte[]>();
        foreach (var file in RdapBootstrapSource.Files)
        {
            var path = StoredPath(file);
            if (!File.Exists(path) || ReferenceCopy.Read(path) is not { } copy) break;
            copies[file] = copy;
            bodies[file] = File.ReadAllBytes(path);
        }
        if (copies.Count == RdapBootstrapSource.Files.Count && Validate(bodies, BaseOf(copies), null, out var stored) is null)
        {
            source.ReplaceWith(stored!);
            lock (_lock) _copies = copies;
            return stored!;
        }
        source.ReplaceWith(RdapBootstrapSource.Shipped);
        lock (_lock) _copies = [];
        return RdapBootstrapSource.Shipped;
    }

    /// <summary>Whether the service should refresh now rather than wait for the schedule (see <see cref="ReferenceCopy.IsDue"/>).</summary>
    public bool IsDue(DateTimeOffset now)
    {
        if (BaseUrl() is not { } baseUrl) return false;
        var copies = InUse;
        return RdapBootstrapSource.Files.Any(f => ReferenceCopy.IsDue(copies.GetValueOrDefault(f), new Uri(baseUrl, f).ToString(), now));
    }

    /// <summary>One refresh of both files: what happened, in words (also logged).</summary>
    public async Task<string> RefreshAsync(CancellationToken ct)
    {
        if (BaseUrl() is not { } baseUrl) return "not configured (Contacts:RdapBootstrapUrl); the bootstrap in use stays";
        var held = InUse;
        var client = http.CreateClient(PublicSuffixListRefresh.HttpClientName);
        var now = time.GetUtcNow();
        var copies = new Dictionary<string, ReferenceCopy>();
        var bodies = new Dictionary<string, byte[]>();
        var changed = new List<string>();
        foreach (var file in RdapBootstrapSource.Files)
        {
            var url = new Uri(baseUrl, file).ToString();
            var mine = held.GetValueOrDefault(file);
            var download = await ReferenceDownload.GetAsync(client, url, mine, options.Value.MaxBytes, ct);
            if (download.Problem is { } failed) return Kept(url, failed);
            if (download.NotModified && mine is not null)
            {
                copies[file] = mine with { FetchedAt = now };
                continue;
            }
            if (download.Body is null) return Kept(url, "answered 304 to a request that held no copy of it");
            copies[file] = new ReferenceCopy(url, download.LastModified ?? now, now, download.ETag, download.LastModified);
            bodies[file] = download.Body;
            changed.Add(file);
        }
        if (changed.Count == 0)
        {
            // Both unchanged: the bootstrap in use is the stored pair itself, so it is neither read back nor parsed
            // again; only the fetch times move on (and a note of an earlier failed refresh is dropped).
            foreach (var file in RdapBootstrapSource.Files) copies[file].WriteBeside(StoredPath(file));
            source.ReplaceWith(source.InUse);
            lock (_lock) _copies = copies;
            return Done($"{baseUrl} is unchanged (304); the bootstrap in use stays");
        }
        // One file changed: the other is checked with it as a pair, from the stored copy.
        foreach (var file in RdapBootstrapSource.Files.Where(f => !bodies.ContainsKey(f)))
            bodies[file] = await File.ReadAllBytesAsync(StoredPath(file), ct);
        if (Validate(bodies, baseUrl.ToString(), held.Count == 0 ? null : source.InUse.PublishedAt, out var bootstrap) is { } problem)
            return Kept(baseUrl.ToString(), problem);
        foreach (var file in RdapBootstrapSource.Files)
        {
            if (changed.Contains(file))
            {
                if (ReferenceCopy.TryStore(copies[file], StoredPath(file), bodies[file]) is { } unwritable) return Kept(copies[file].Origin, unwritable);
            }
            else copies[file].WriteBeside(StoredPath(file));
        }
        source.ReplaceWith(bootstrap!);
        lock (_lock) _copies = copies;
        return Done($"{baseUrl} replaced the bootstrap in use ({bootstrap!.Count} prefixes, {bootstrap.Origin})");
    }

    private Uri? BaseUrl()
    {
        var url = contacts.Value.RdapBootstrapUrl;
        return string.IsNullOrWhiteSpace(url) ? null : new Uri(url.EndsWith('/') ? url : url + "/");
    }

    /// <summary>The directory URL the stored files came from, as the bootstrap names its origin.</summary>
    private static string BaseOf(Dictionary<string, ReferenceCopy> copies) =>
        copies.TryGetValue(RdapBootstrapSource.Files[0], out var first) && Uri.TryCreate(first.Origin, UriKind.Absolute, out var u)
            ? new Uri(u, ".").ToString()
            : "stored bootstrap";

    /// <summary>
    /// Why the files are no RDAP bootstrap, or null when they are one (then <paramref name="bootstrap"/>): each parses
    /// as RFC 9224 with a <c>publication</c>, ipv4.json maps IPv4 prefixes only and ipv6.json IPv6 ones, and the pair is
    /// not older than the one in use (<paramref name="inUsePublished"/>), so a stale mirror never turns the map back.
    /// </summary>
    private static string? Validate(Dictionary<string, byte[]> bodies, string origin, DateTimeOffset? inUsePublished, out RdapBootstrap? bootstrap)
    {
        bootstrap = null;
        var texts = new List<string>();
        foreach (var (file, family) in new[] { ("ipv4.json", AddressFamily.InterNetwork), ("ipv6.json", AddressFamily.InterNetworkV6) })
        {
            if (!System.Text.Unicode.Utf8.IsValid(bodies[file])) return $"{file} is not UTF-8 text";
            var text = Encoding.UTF8.GetString(bodies[file]);
            RdapBootstrap one;
            try
            {
                one = RdapBootstrap.Parse([text], file);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                return $"{file} is no RDAP bootstrap ({e.Message})";
            }
            if (one.PublishedAt is null) return $"{file} names no publication date";
            if (one.CountOf(family) == 0 || one.CountOf(family) != one.Count) return $"{file} does not map {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} prefixes only";
            texts.Add(text);
        }
        var candidate = RdapBootstrap.Parse(texts, origin);
        if (inUsePublished is { } inUse && candidate.PublishedAt < inUse)
            return $"was published {candidate.PublishedAt:yyyy-MM-dd}, before the bootstrap in use ({inUse:yyyy-MM-dd})";
        bootstrap = candidate;
        return null;
    }

    private string Done(string what)
    {
        log.LogInformation("RDAP bootstrap: {Outcome}", what);
        return what;
    }

    private string Kept(string url, string problem)
    {
        var inUse = source.InUse;
        source.NoteFailedRefresh(new LookupNote("RDAP", "bootstrap " + url, $"{problem}; using the copy in use ({inUse.Origin})"));
        log.LogWarning("RDAP bootstrap: {Url} {Problem}; kept the copy in use ({Origin})", url, problem, inUse.Origin);
        return $"{url} {problem}; kept the copy in use ({inUse.Origin})";
    }
}
