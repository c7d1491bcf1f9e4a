using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Notifier.Notices;

/// <summary>
/// The embedded default when no smarthost is configured: each notice becomes <c>&lt;Message-ID&gt;.eml</c> in the
/// outbox directory, exactly the bytes a smarthost would have been given, so a new user sees what would be sent.
/// The file is written in full under a temporary name and then renamed (rename(2) is atomic within a folder):
/// a full disk or a crash leaves no file that looks complete, and writing the same notice again replaces it.
/// </summary>
public sealed partial class OutboxSender(IOptions<NoticesOptions> options, ILogger<OutboxSender> logger) : INoticeSender
{
    /// <summary>CR LF line ends, as on the wire (RFC 5322 §2.1), whatever the platform's default.</summary>
    private static readonly FormatOptions WireFormat = WireFormatOptions();

    public string Name => "outbox";

    /// <summary>The outbox folder in effect (relative paths are under the working directory).</summary>
    public string OutboxDirectory { get; } = Path.GetFullPath(options.Value.OutboxDirectory, Environment.CurrentDirectory);

    public async Task<NoticeDelivery> SendAsync(MimeMessage message, string returnPath, string recipient, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(message.MessageId)) throw new ArgumentException("a notice needs a Message-ID to be named in the outbox", nameof(message));
        var path = Path.Combine(OutboxDirectory, FileName(message.MessageId));
        var temp = Path.Combine(OutboxDirectory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(OutboxDirectory);
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await message.WriteToAsync(WireFormat, stream, cancellationToken);
                // On disk before it gets its name: a crash must not leave a truncated .eml under the final name.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            logger.LogWarning(e, "Cannot write notice {MessageId} to the outbox {Outbox}", message.MessageId, OutboxDirectory);
            // Deferred, not Rejected: the recipient did nothing wrong, the notice is retried once there is room.
            return new NoticeDelivery(NoticeDeliveryOutcome.Deferred, $"cannot write to the outbox {OutboxDirectory}: {e.Message}");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        logger.LogInformation("Notice {MessageId} for {Recipient} written to {Path}", message.MessageId, recipient, path);
        return new NoticeDelivery(NoticeDeliveryOutcome.Accepted, $"written to the outbox for {recipient} (envelope sender {returnPath})", path);
    }

    /// <summary>The file name for a Message-ID: characters a file system or a shell could trip on become '_'.</summary>
    internal static string FileName(string messageId) => UnsafeFileNameCharacters().Replace(messageId, "_") + ".eml";

    private static FormatOptions WireFormatOptions()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        return format;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: a leftover .tmp never looks like a finished notice.
        }
    }

    [GeneratedRegex(@"[^A-Za-z0-9._@+=-]|^\.")]
    private static partial Regex UnsafeFileNameCharacters();
}
