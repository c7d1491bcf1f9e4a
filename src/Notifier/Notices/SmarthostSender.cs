using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Notifier.Notices;

/// <summary>
/// Hands notices to the configured smarthost with MailKit's <see cref="SmtpClient"/>: one connection per notice,
/// one envelope recipient, the envelope sender being the notice's VERP return path. How the smarthost answered
/// decides the outcome: a permanent refusal of the recipient or the message (5xx, RFC 5321 §4.2.1) is
/// <see cref="NoticeDeliveryOutcome.Rejected"/>, the contact's alone; everything that may pass (4xx, no
/// connection, a timeout, TLS or AUTH failing, a refused envelope sender, which is ours and not the contact's)
/// is <see cref="NoticeDeliveryOutcome.Deferred"/>. A dropped connection, a timeout or an I/O error after the
/// smarthost accepted the recipient (<see cref="NoticeSmtpClient.RecipientAccepted"/>) is
/// <see cref="NoticeDeliveryOutcome.Uncertain"/>: DATA and the message may have gone over and the smarthost may have
/// queued it (RFC 1047), so retrying could send it twice. A reply to DATA (4xx, 5xx) is a clear answer and keeps the
/// mapping above.
/// </summary>
public sealed class SmarthostSender(IOptions<NoticesOptions> options, ILogger<SmarthostSender> logger) : INoticeSender
{
    private readonly SmarthostOptions _options = options.Value.Smarthost;

    public string Name => "smarthost";

    public async Task<NoticeDelivery> SendAsync(MimeMessage message, string returnPath, string recipient, CancellationToken cancellationToken)
    {
        var host = _options.Host ?? throw new InvalidOperationException("Notices:Smarthost:Host is not configured");
        using var client = NewClient();
        try
        {
            if (!await ConnectAsync(client, host, cancellationToken))
                return Deferred(message, $"no connection to the smarthost {host}:{_options.Port} within {_options.ConnectTimeout}", null);
            var reply = await client.SendAsync(message, MailboxAddress.Parse(returnPath), [MailboxAddress.Parse(recipient)], cancellationToken);
            logger.LogInformation("Smarthost {Host} accepted notice {MessageId} for {Recipient}: {Reply}", host, message.MessageId, recipient, reply);
            await QuitAsync(client);
            return new NoticeDelivery(NoticeDeliveryOutcome.Accepted, $"smarthost {host} accepted: {reply}", reply);
        }
        catch (SmtpCommandException e) when (IsPermanent(e) && e.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted)
        {
            await QuitAsync(client);
            var what = e.ErrorCode == SmtpErrorCode.RecipientNotAccepted ? $"the recipient {recipient}" : "the message";
            logger.LogWarning("Smarthost {Host} refused {What} of notice {MessageId} permanently: {Status} {Reply}", host, what, message.MessageId, (int)e.StatusCode, e.Message);
            return new NoticeDelivery(NoticeDeliveryOutcome.Rejected, $"smarthost {host} refused {what}: {(int)e.StatusCode} {e.Message}");
        }
        catch (SmtpCommandException e)
        {
            await QuitAsync(client);
            var what = e.ErrorCode == SmtpErrorCode.SenderNotAccepted ? $"refused our envelope sender {returnPath}" : "answered";
            return Deferred(message, $"smarthost {host} {what}: {(int)e.StatusCode} {e.Message}", e);
        }
        catch (AuthenticationException e)
        {
            await QuitAsync(client);
            return Deferred(message, $"smarthost {host} refused AUTH for {_options.UserName}: {e.Message}", e);
        }
        catch (NotSupportedException e) when (!string.IsNullOrEmpty(_options.UserName) && client.IsConnected && !client.IsAuthenticated)
        {
            await QuitAsync(client);
            return Deferred(message, $"smarthost {host} offers no AUTH, but Notices:Smarthost:UserName is set: {e.Message}", e);
        }
        catch (SslHandshakeException e)
        {
            return Deferred(message, $"TLS with the smarthost {host}:{_options.Port} failed (certificate or protocol): {e.Message}", e);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException
                                      || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            if (client.RecipientAccepted)
                return Uncertain(message, $"smarthost {host}:{_options.Port} accepted the recipient {recipient}, then failed before confirming the message: {e.Message}", e);
            return Deferred(message, $"smarthost {host}:{_options.Port} failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// Whether a notice could be handed over now: the connection (TLS as configured) and the AUTH login that
    /// <see cref="SendAsync"/> does, then QUIT. Null when both work, else why not (for /healthz/ready).
    /// </summary>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        var host = _options.Host ?? throw new InvalidOperationException("Notices:Smarthost:Host is not configured");
        using var client = NewClient();
        try
        {
            if (!await ConnectAsync(client, host, cancellationToken))
                return $"no connection to the smarthost {host}:{_options.Port} within {_options.ConnectTimeout}";
            await QuitAsync(client);
            return null;
        }
        catch (AuthenticationException e)
        {
            await QuitAsync(client);
            return $"smarthost {host} refused AUTH for {_options.UserName}: {e.Message}";
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException or SmtpCommandException
                                      or SslHandshakeException or NotSupportedException or ServiceNotConnectedException)
        {
            return $"smarthost {host}:{_options.Port} failed: {e.Message}";
        }
    }

    private NoticeSmtpClient NewClient()
    {
        var client = new NoticeSmtpClient { Timeout = (int)_options.CommandTimeout.TotalMilliseconds };
        // The default validation (a trusted chain naming the host) unless a lab explicitly relaxes it.
#pragma warning disable CA5359 // Only with Notices:Smarthost:AcceptAnyServerCertificate, which exists for labs with self-signed certificates.
        if (_options.AcceptAnyServerCertificate) client.ServerCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        return client;
    }

    /// <summary>Connects (TLS as configured) and logs in when a user name is set; false when no connection came up within ConnectTimeout.</summary>
    private async Task<bool> ConnectAsync(SmtpClient client, string host, CancellationToken cancellationToken)
    {
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // SmtpClient.Timeout covers each command; the connection (and its greeting, and the TLS handshake) has its own limit.
            connect.CancelAfter(_options.ConnectTimeout);
            try
            {
                await client.ConnectAsync(host, _options.Port, SocketOptions(_options.Security), connect.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }
        if (!string.IsNullOrEmpty(_options.UserName))
        {
            await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", cancellationToken);
        }
        return true;
    }

    private NoticeDelivery Deferred(MimeMessage message, string detail, Exception? e)
    {
        logger.LogWarning(e, "Notice {MessageId} deferred: {Detail}", message.MessageId, detail);
        return new NoticeDelivery(NoticeDeliveryOutcome.Deferred, detail);
    }

    private NoticeDelivery Uncertain(MimeMessage message, string detail, Exception e)
    {
        logger.LogWarning(e, "Notice {MessageId} may have been handed over, not retried: {Detail}", message.MessageId, detail);
        return new NoticeDelivery(NoticeDeliveryOutcome.Uncertain, detail);
    }

    private static bool IsPermanent(SmtpCommandException e) => (int)e.StatusCode is >= 500 and < 600;

    private static SecureSocketOptions SocketOptions(SmarthostSecurity security) => security switch
    {
        SmarthostSecurity.StartTls => SecureSocketOptions.StartTls,
        SmarthostSecurity.ImplicitTls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    /// <summary>Ends the session politely (QUIT) when it is still up; a failure here changes nothing about the outcome.</summary>
    private async Task QuitAsync(SmtpClient client)
    {
        if (!client.IsConnected) return;
        try
        {
            using var quit = new CancellationTokenSource(_options.CommandTimeout);
            await client.DisconnectAsync(quit: true, quit.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or OperationCanceledException or SmtpProtocolException or SmtpCommandException)
        {
            logger.LogDebug(e, "QUIT to the smarthost failed");
        }
    }
}
