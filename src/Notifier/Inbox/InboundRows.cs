using System.Text;
using MimeKit;
using Notifier.Contacts;

namespace Notifier.Inbox;

/// <summary>The stored <see cref="InboundMessage"/> for fetched bytes: what the message says of itself, before any rule decided its class.</summary>
public static class InboundRows
{
    public static InboundMessage Unparseable(byte[] raw, string sha, string folder, long uidValidity, long uid, DateTimeOffset now, string why) => new()
    {
        Folder = folder,
        UidValidity = uidValidity,
        Uid = uid,
        Sha256 = sha,
        FetchedAt = now,
        ProcessedAt = now,
        Headers = "",
        Raw = raw,
        Class = InboundClass.Unknown,
        Rule = "not a parseable message",
        Detail = why,
    };

    public static InboundMessage Of(MimeMessage message, byte[] raw, string sha, string folder, long uidValidity, long uid, DateTimeOffset now) => new()
    {
        Folder = folder,
        UidValidity = uidValidity,
        Uid = uid,
        MessageId = MessageIdOf(message),
        Sha256 = sha,
        FetchedAt = now,
        ProcessedAt = now,
        Date = message.Headers.Contains(HeaderId.Date) ? message.Date : null,
        FromAddress = SenderOf(message),
        From = Cap(message.From.ToString(), 1000),
        To = Cap(message.To.ToString(), 2000),
        Subject = Cap(message.Subject, 1000),
        InReplyTo = message.InReplyTo,
        References = message.References.Count == 0 ? null : Cap(string.Join(' ', message.References), 8000),
        Headers = HeaderBlock(message),
        Raw = raw,
        Class = InboundClass.Unknown,
    };

    public static string? MessageIdOf(MimeMessage message) => string.IsNullOrEmpty(message.MessageId) ? null : message.MessageId;

    /// <summary>The first From address, normalised (<see cref="ContactAddress.Normalize"/>).</summary>
    public static string? SenderOf(MimeMessage message) => ContactAddress.Normalize(message.From.Mailboxes.FirstOrDefault()?.Address);

    public static string? Cap(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    private static string HeaderBlock(MimeMessage message)
    {
        var sb = new StringBuilder();
        foreach (var h in message.Headers) sb.Append(h.Field).Append(": ").Append(h.Value).Append('\n');
        return Cap(sb.ToString(), 64 * 1024)!;
    }
}
