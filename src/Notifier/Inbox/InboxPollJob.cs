using Hangfire;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;
using Notifier.Telemetry;

namespace Notifier.Inbox;

/// <summary>
/// The recurring inbox poll: fetches new messages over IMAP (MailKit), has each classified and acted on
/// (<see cref="InboxProcessor"/>, one transaction per message), then moves it to the processed or unknown folder.
/// A crash before the commit leaves the message unprocessed in the folder (read again next time); a crash after the
/// commit and before the move is recognised by folder + UIDVALIDITY + UID (or Message-ID + hash) and only moved.
/// Polling rather than IDLE: the job is short and stateless, and Inbox:PollInterval can be a few seconds.
/// </summary>
public sealed class InboxPollJob(
    NotifierDb db,
    InboxProcessor processor,
    IOptions<InboxOptions> options,
    InboxPollStatus status,
    TimeProvider time,
    NotifierMetrics metrics,
    ILogger<InboxPollJob> log)
{
    public const string RecurringId = "poll-inbox";

    /// <summary>Tests only: runs after the commit, before the move (a crash between them).</summary>
    internal Func<InboundMessage, Task>? BeforeMove { get; set; }

    [DisableConcurrentExecution(600)]
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return 0;
        try
        {
            var count = await PollAsync(cancellationToken);
            status.Succeeded(time.GetUtcNow());
            return count;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Recorded for /healthz, then rethrown so that Hangfire records the failed run as before.
            status.Failed(time.GetUtcNow(), e);
            metrics.InboxPollFailed(e);
            throw;
        }
    }

    private async Task<int> PollAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var client = await ConnectAsync(o, cancellationToken);
        var folder = await client.GetFolderAsync(o.Folder, cancellationToken);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
        var processed = await EnsureFolderAsync(client, o.ProcessedFolder, cancellationToken);
        var unknown = await EnsureFolderAsync(client, o.UnknownFolder, cancellationToken);

        var uids = await folder.SearchAsync(SearchQuery.NotDeleted, cancellationToken);
        var count = 0;
        foreach (var uid in uids.Take(o.MaxMessagesPerPoll))
        {
            var raw = await ReadAsync(folder, uid, o.MaxMessageBytes, cancellationToken);
            if (raw is null) continue;
            var (row, already, later) = await processor.ProcessAsync(raw, folder.FullName, folder.UidValidity, uid.Id, cancellationToken);
            if (later) continue;
            if (BeforeMove is not null) await BeforeMove(row);
            var destination = row.Class == InboundClass.Unknown ? unknown : processed;
            await folder.MoveToAsync(uid, destination, cancellationToken);
            await db.InboundMessages.Where(m => m.Id == row.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.MovedTo, destination.FullName), cancellationToken);
            if (already) log.LogInformation("Inbox message {Uid} was processed before (id {Id}); moved only", uid.Id, row.Id);
            count++;
        }
        await client.DisconnectAsync(true, cancellationToken);
        return count;
    }

    /// <summary>Connects and logs in as the poll does; the readiness check (<see cref="ImapLoginHealthCheck"/>) asks the same way.</summary>
    public static async Task<ImapClient> ConnectAsync(InboxOptions o, CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = (int)o.Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(o.Host!, o.Port, SocketOptions(o.Tls), cancellationToken);
            await client.AuthenticateAsync(o.User!, o.Password!, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static SecureSocketOptions SocketOptions(InboxTls tls) => tls switch
    {
        InboxTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        InboxTls.StartTls => SecureSocketOptions.StartTls,
        InboxTls.StartTlsWhenAvailable => SecureSocketOptions.StartTlsWhenAvailable,
        InboxTls.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };

    /// <summary>The raw message, cut at <paramref name="max"/> bytes; null when it vanished (expunged by someone else).</summary>
    private static async Task<byte[]?> ReadAsync(IMailFolder folder, UniqueId uid, int max, CancellationToken ct)
    {
        try
        {
            await using var stream = await folder.GetStreamAsync(uid, ct);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk, ct)) > 0 && buffer.Length < max) buffer.Write(chunk, 0, (int)Math.Min(n, max - buffer.Length));
            return buffer.ToArray();
        }
        catch (MessageNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Opens <c>a/b</c> (written with '/' whatever the server's separator), creating what is missing.</summary>
    public static async Task<IMailFolder> EnsureFolderAsync(ImapClient client, string path, CancellationToken ct)
    {
        var current = client.GetFolder(client.PersonalNamespaces[0]) ?? throw new InvalidOperationException("the IMAP server has no personal namespace");
        foreach (var name in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            IMailFolder? next;
            try
            {
                next = await current.GetSubfolderAsync(name, ct);
            }
            catch (FolderNotFoundException)
            {
                next = await current.CreateAsync(name, true, ct);
            }
            current = next ?? throw new InvalidOperationException($"the IMAP server did not create folder {name} of {path}");
        }
        return current;
    }
}
