using System.Net;
using System.Net.Http.Headers;
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

    /// <summary>One refresh: what happened, in words (also logged).</summary>
    public async Task<string> RefreshAsync(CancellationToken ct)
    {
        var url = options.Value.PublicSuffixListUrl;
        if (string.IsNullOrWhiteSpace(url)) return "not configured (ReferenceData:PublicSuffixListUrl); the copy in use stays";
        var current = InUse;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (current.Origin == url)
        {
            if (current.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
            if (current.LastModified is { } modified) request.Headers.IfModifiedSince = modified;
        }
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var now = time.GetUtcNow();
            if (response.StatusCode == HttpStatusCode.NotModified)
            {
                Use(current with { FetchedAt = now }, null);
                return Done($"{url} is unchanged (304); the copy in use stays");
            }
            if (!response.IsSuccessStatusCode) return Kept(url, $"answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var body = await ReadAsync(response.Content, options.Value.MaxBytes, ct);
            if (body is null) return Kept(url, $"sent more than {options.Value.MaxBytes} bytes (ReferenceData:MaxBytes)");
            if (Validate(body, out var parsed) is { } problem) return Kept(url, problem);
            var modified = response.Content.Headers.LastModified;
            var copy = new ReferenceCopy(url, modified ?? now, now, response.Headers.ETag?.ToString(), modified);
            Store(body, copy);
            Use(copy, parsed);
            return Done($"{url} replaced the list in use ({parsed!.RuleCount} rules, published {copy.PublishedAt.UtcDateTime:yyyy-MM-dd})");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return Kept(url, $"could not be read ({e.GetType().Name}: {e.Message})");
        }
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

    private static async Task<byte[]?> ReadAsync(HttpContent content, int max, CancellationToken ct)
    {
        if (content.Headers.ContentLength > max) return null;
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Written beside and moved over the stored copy: a crash mid-write never leaves half a list to load at start.</summary>
    private void Store(byte[] body, ReferenceCopy copy)
    {
        var path = StoredPath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var partial = path + ".partial";
        File.WriteAllBytes(partial, body);
        File.Move(partial, path, overwrite: true);
        copy.WriteBeside(path);
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
