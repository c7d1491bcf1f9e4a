using System.Net;
using System.Net.Http.Headers;

namespace Notifier.ReferenceData;

/// <summary>
/// One conditional GET of a reference file (RFC 9110 section 13): the validators of the copy held are sent
/// (If-None-Match, If-Modified-Since), so an unchanged file costs a 304; a body is read up to a limit and no further.
/// Exactly one of <see cref="NotModified"/>, <see cref="Body"/> and <see cref="Problem"/> says what came of it.
/// </summary>
public sealed record ReferenceDownload(bool NotModified, byte[]? Body, string? ETag, DateTimeOffset? LastModified, string? Problem)
{
    /// <summary>
    /// Asks <paramref name="url"/> for a newer file than <paramref name="held"/> (its validators are sent only when it
    /// came from the same URL). Network failures and timeouts are a <see cref="Problem"/>, not an exception.
    /// </summary>
    public static async Task<ReferenceDownload> GetAsync(HttpClient client, string url, ReferenceCopy? held, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (held is not null && held.Origin == url)
        {
            if (held.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag)) request.Headers.IfNoneMatch.Add(tag);
            if (held.LastModified is { } modified) request.Headers.IfModifiedSince = modified;
        }
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            if (response.StatusCode == HttpStatusCode.NotModified) return new ReferenceDownload(true, null, null, null, null);
            if (!response.IsSuccessStatusCode) return Failed($"answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var body = await ReadAsync(response.Content, maxBytes, ct);
            if (body is null) return Failed($"sent more than {maxBytes} bytes (ReferenceData:MaxBytes)");
            return new ReferenceDownload(false, body, response.Headers.ETag?.ToString(), response.Content.Headers.LastModified, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException
                                      || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return Failed($"could not be read ({e.GetType().Name}: {e.Message})");
        }
    }

    private static ReferenceDownload Failed(string problem) => new(false, null, null, null, problem);

    private static async Task<byte[]?> ReadAsync(HttpContent content, int max, CancellationToken ct)
    {
        if (content.Headers.ContentLength > max) return null;
        await using var stream = await content.ReadAsStreamAsync(ct);
        return await Notifier.Intake.BoundedRead.ReadAllAsync(stream, max, ct);
    }
}
