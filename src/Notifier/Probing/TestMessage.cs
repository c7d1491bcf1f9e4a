using System.Globalization;
using MimeKit;

namespace Notifier.Probing;

/// <summary>
/// The one message a probe sends through a relay: addressed to the per-probe canary address, carrying the
/// token in a header and in the body, and saying plainly who sent it and why (relay-testing.md §6:
/// identify yourself, send as little as possible).
/// </summary>
public static class TestMessage
{
    public const string TokenHeader = "X-Notifier-Relay-Token";
    public const string TargetHeader = "X-Notifier-Relay-Target";

    public sealed record Facts(
        string Token,
        string CanaryAddress,
        string SenderAddress,
        string Target,
        string Variant,
        DateTimeOffset At,
        string OperatorName,
        string? OperatorContact,
        string? InfoUrl);

    public static MimeMessage Build(Facts f)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(f.OperatorName, f.SenderAddress));
        message.To.Add(MailboxAddress.Parse(f.CanaryAddress));
        message.Subject = $"Open relay test of {f.Target} [{f.Token}]";
        message.Date = f.At;
        var domain = f.CanaryAddress[(f.CanaryAddress.LastIndexOf('@') + 1)..];
        message.MessageId = $"relaytest.{f.Token}@{domain}";
        message.Headers.Add(TokenHeader, f.Token);
        message.Headers.Add(TargetHeader, f.Target);
        // RFC 3834: automatic, so vacation responders and ticket systems do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("Precedence", "bulk");
        var contact = f.OperatorContact is null ? "" : $"\nTo reach a person about this test, write to {f.OperatorContact}.";
        var info = f.InfoUrl is null ? "" : $"\nWhat this test is and why we run it: {f.InfoUrl}";
        message.Body = new TextPart("plain")
        {
            Text = string.Create(CultureInfo.InvariantCulture, $"""
                This is an automated open mail relay test sent by {f.OperatorName}.

                We submitted this message to the mail server at {f.Target} on
                {f.At.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, addressed to our own test mailbox
                {f.CanaryAddress}. That server is not ours and has no reason to carry our mail.
                If this message reached that mailbox, the server relays mail for strangers:
                spammers can use it the same way.

                Nobody else received this message. It was sent once, using the address form
                "{f.Variant}".

                Relay test token: {f.Token}
                {contact}{info}
                """),
        };
        return message;
    }

    /// <summary>The message as bytes on the wire (CRLF line ends), before dot-stuffing.</summary>
    public static string Serialize(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(format, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
