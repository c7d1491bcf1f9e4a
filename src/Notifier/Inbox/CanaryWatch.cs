using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Notifier.Probing;

namespace Notifier.Inbox;

/// <summary>
/// The CLI's <c>--confirm</c>: watches a mailbox, read-only, for the canary of one probe. Nothing is moved or
/// stored, so it can look into the same mailbox the service reads.
/// </summary>
public static class CanaryWatch
{
    public sealed record Mailbox(string Host, int Port, SecureSocketOptions Tls, string User, string Password, string Folder);

    /// <summary>
    /// <c>imap://user:pass@host[:port][/folder]</c> (plain, or STARTTLS when offered; port 143) or
    /// <c>imaps://…</c> (TLS from the first byte; port 993). User and password are URL-encoded.
    /// </summary>
    public static Mailbox ParseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("imap" or "imaps") || string.IsNullOrEmpty(uri.Host))
            throw new FormatException($"\"{url}\" is not an imap://user:pass@host:port[/folder] or imaps:// URL");
        var info = uri.UserInfo.Split(':', 2);
        if (info.Length != 2 || info[0].Length == 0)
            throw new FormatException("the IMAP URL needs a user and a password: imap://user:pass@host:port");
        var imaps = uri.Scheme == "imaps";
        var folder = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));
        return new Mailbox(uri.Host, uri.IsDefaultPort ? (imaps ? 993 : 143) : uri.Port,
            imaps ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable,
            Uri.UnescapeDataString(info[0]), Uri.UnescapeDataString(info[1]), folder.Length == 0 ? "INBOX" : folder);
    }

    /// <summary>The message carrying <paramref name="token"/> in its token header, or null when none arrived in time.</summary>
    public static async Task<MimeMessage?> WaitAsync(Mailbox mailbox, string token, TimeSpan wait, TimeProvider time, CancellationToken ct)
    {
        using var client = new ImapClient { Timeout = 30_000 };
        await client.ConnectAsync(mailbox.Host, mailbox.Port, mailbox.Tls, ct);
        await client.AuthenticateAsync(mailbox.User, mailbox.Password, ct);
        var folder = await client.GetFolderAsync(mailbox.Folder, ct);
        await folder.OpenAsync(FolderAccess.ReadOnly, ct);
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var found = await folder.SearchAsync(SearchQuery.HeaderContains(TestMessage.TokenHeader, token), ct);
            if (found.Count > 0)
            {
                var message = await folder.GetMessageAsync(found[^1], ct);
                await client.DisconnectAsync(true, ct);
                return message;
            }
            if (time.GetUtcNow() >= deadline) break;
            await Task.Delay(TimeSpan.FromSeconds(1), time, ct);
            // NOOP lets the server report mail that arrived since (RFC 3501 §6.1.2).
            await client.NoOpAsync(ct);
        }
        await client.DisconnectAsync(true, ct);
        return null;
    }
}
