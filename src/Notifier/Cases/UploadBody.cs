using Microsoft.AspNetCore.Http.Features;
using Notifier.Intake;

namespace Notifier.Cases;

/// <summary>
/// An upload of the API (a raw body, or the first file of a multipart form) read into memory with its limit enforced
/// while it is read: a client that sends more than the limit is answered 413 after at most the limit plus one read
/// buffer, never after the server has taken in (and held) everything it chose to send. Kestrel's own per-request
/// limit is lowered to the same size, so the connection is not drained beyond it either.
/// </summary>
public sealed record UploadBody(byte[]? Bytes, bool TooLarge)
{
    /// <summary>Room for a multipart form's boundaries and part headers around a file of the limit's size.</summary>
    private const int FormOverhead = 64 * 1024;

    private static readonly UploadBody Missing = new(null, false);
    private static readonly UploadBody Over = new(null, true);

    public static async Task<UploadBody> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        long allowed = maxBytes + (request.HasFormContentType ? FormOverhead : 0);
        if (request.ContentLength > allowed) return Over;
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size
            && (size.MaxRequestBodySize is null || size.MaxRequestBodySize > allowed))
            size.MaxRequestBodySize = allowed;
        try
        {
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = allowed }, ct);
                if (form.Files.Count == 0) return Missing;
                if (form.Files[0].Length > maxBytes) return Over;
                await using var file = form.Files[0].OpenReadStream();
                return await BoundedAsync(file, maxBytes, ct);
            }
            if (request.ContentLength == 0) return Missing;
            return await BoundedAsync(request.Body, maxBytes, ct);
        }
        // Kestrel's limit (413) or the form reader's ("Multipart body length limit exceeded") was reached mid-read.
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Over;
        }
        catch (InvalidDataException e) when (request.HasFormContentType && e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
        {
            return Over;
        }
    }

    private static async Task<UploadBody> BoundedAsync(Stream stream, int maxBytes, CancellationToken ct)
    {
        var bytes = await BoundedRead.ReadAllAsync(stream, maxBytes, ct);
        return bytes is null ? Over : new UploadBody(bytes, false);
    }
}
