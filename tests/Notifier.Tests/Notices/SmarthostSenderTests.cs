using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using Notifier.Notices;
using Notifier.Tests.Hosting;
using Notifier.Tests.Lab;

namespace Notifier.Tests.Notices;

/// <summary>Sending through the lab's real Postfix smarthost (delivering into Dovecot), and through servers that fail.</summary>
[Collection(LabBesideCollection.Name)]
public sealed class SmarthostSenderTests(Notifier.Tests.Lab.Lab lab)
{
    private const string ReturnPath = "bounces+notice@desk.test";

    private SmarthostOptions LabSmarthost(SmarthostSecurity security = SmarthostSecurity.None, bool auth = true, string? password = null)
    {
        var host = lab.EndPoint("SMARTHOST");
        return new SmarthostOptions
        {
            Host = host.Address.ToString(),
            Port = host.Port,
            Security = security,
            UserName = auth ? lab["NOTIFIER_LAB_SMARTHOST_USER"] : null,
            Password = auth ? password ?? lab["NOTIFIER_LAB_SMARTHOST_PASSWORD"] : null,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            CommandTimeout = TimeSpan.FromSeconds(10),
        };
    }

    private static SmarthostSender Sender(SmarthostOptions smarthost)
    {
        var options = NoticeSamples.Options();
        options.Smarthost = smarthost;
        return new SmarthostSender(Microsoft.Extensions.Options.Options.Create(options), NullLogger<SmarthostSender>.Instance);
    }

    private static MimeMessage Notice(NoticeSigner signer, string to) =>
        NoticeSamples.Builder(signer).Build(NoticeSamples.Mail(to: to));

    private string Recipient() => $"abuse-{Guid.NewGuid():n}@{lab["NOTIFIER_LAB_NOTICE_DOMAIN"]}";

    [Fact]
    public async Task SendAsync_DeliversTheSignedNoticeIntoTheMailbox_WhenTheSmarthostAcceptsAfterAuth()
    {
        using var key = NoticeSamples.Signer();
        var to = Recipient();
        var message = Notice(key.Signer, to);

        var delivery = await Sender(LabSmarthost()).SendAsync(message, ReturnPath, to, CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Accepted, delivery.Outcome);
        Assert.Contains("queued as", delivery.Location, StringComparison.OrdinalIgnoreCase);
        var received = await WaitForOwnerMessageAsync(message.MessageId!);
        Assert.Equal("[NR-000123] Open mail relay at 192.0.2.10", received.Subject);
        Assert.Equal($"<{ReturnPath}>", received.Headers[HeaderId.ReturnPath]);
        Assert.Equal("auto-generated", received.Headers[NoticeHeaders.AutoSubmitted]);
        // Postfix and Dovecot add Received and Return-Path above it; the signature still verifies.
        var dkim = received.Headers[received.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.True(await key.Verifier().VerifyAsync(received, dkim));
    }

    [Fact]
    public async Task SendAsync_Delivers_WhenStartTlsIsUsedWithTheLabsCertificateAccepted()
    {
        var to = Recipient();
        var message = Notice(new NoticeSigner(null), to);
        var smarthost = LabSmarthost(SmarthostSecurity.StartTls);
        smarthost.AcceptAnyServerCertificate = true;

        var delivery = await Sender(smarthost).SendAsync(message, ReturnPath, to, CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Accepted, delivery.Outcome);
        var received = await WaitForOwnerMessageAsync(message.MessageId!);
        Assert.Contains(received.Headers.Where(h => h.Id == HeaderId.Received), h => h.Value.Contains("TLS", StringComparison.Ordinal) || h.Value.Contains("ESMTPS", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_Defers_WhenTheServerCertificateIsNotTrusted()
    {
        var to = Recipient();

        var delivery = await Sender(LabSmarthost(SmarthostSecurity.StartTls)).SendAsync(Notice(new NoticeSigner(null), to), ReturnPath, to, CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
        Assert.Contains("TLS", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Rejects_WhenTheSmarthostRefusesTheRecipientWith550()
    {
        var to = lab["NOTIFIER_LAB_SMARTHOST_REJECTS"];

        var delivery = await Sender(LabSmarthost()).SendAsync(Notice(new NoticeSigner(null), to), ReturnPath, to, CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Rejected, delivery.Outcome);
        Assert.Contains("550", delivery.Detail, StringComparison.Ordinal);
        Assert.Contains("mailbox gone", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Defers_WhenTheSmarthostRefusesTheRecipientWith451()
    {
        var to = lab["NOTIFIER_LAB_SMARTHOST_DEFERS"];

        var delivery = await Sender(LabSmarthost()).SendAsync(Notice(new NoticeSigner(null), to), ReturnPath, to, CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
        Assert.Contains("451", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Defers_WhenTheSmarthostRefusesAuth()
    {
        var to = Recipient();

        var delivery = await Sender(LabSmarthost(password: "wrong-password")).SendAsync(Notice(new NoticeSigner(null), to), ReturnPath, to, CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
        Assert.Contains("refused AUTH", delivery.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", delivery.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Defers_WhenTheSmarthostIsDown()
    {
        var port = LoopbackPort.Unused();
        var smarthost = new SmarthostOptions { Host = "127.0.0.1", Port = port, Security = SmarthostSecurity.None };

        var delivery = await Sender(smarthost).SendAsync(Notice(new NoticeSigner(null), "abuse@owner.test"), ReturnPath, "abuse@owner.test", CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
        Assert.Contains($"127.0.0.1:{port}", delivery.Detail, StringComparison.Ordinal);
    }

    /// <summary>A smarthost setting for the loopback peer behind <paramref name="listener"/>, plain SMTP, with these timeouts.</summary>
    private static SmarthostOptions On(TcpListener listener, TimeSpan connect, TimeSpan command) => new()
    {
        Host = "127.0.0.1",
        Port = ((IPEndPoint)listener.LocalEndpoint).Port,
        Security = SmarthostSecurity.None,
        ConnectTimeout = connect,
        CommandTimeout = command,
    };

    [Fact]
    public async Task SendAsync_Defers_WhenTheSmarthostGreetsAndThenNeverAnswers()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var silent = SilentAfterGreetingAsync(listener);
        var smarthost = On(listener, connect: TimeSpan.FromSeconds(10), command: TimeSpan.FromMilliseconds(500));

        var delivery = await Sender(smarthost).SendAsync(Notice(new NoticeSigner(null), "abuse@owner.test"), ReturnPath, "abuse@owner.test", CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
        listener.Stop();
        await silent;
    }

    [Fact]
    public async Task SendAsync_Defers_WhenTheSmarthostNeverGreets()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var smarthost = On(listener, connect: TimeSpan.FromMilliseconds(500), command: TimeSpan.FromSeconds(30));

        var delivery = await Sender(smarthost).SendAsync(Notice(new NoticeSigner(null), "abuse@owner.test"), ReturnPath, "abuse@owner.test", CancellationToken.None);

        Assert.Equal(NoticeDeliveryOutcome.Deferred, delivery.Outcome);
    }

    [Theory]
    // Before the recipient is accepted nothing can have been handed over: retried later.
    [InlineData("drop after MAIL", NoticeDeliveryOutcome.Deferred)]
    // RCPT accepted: DATA and the message may be on the wire and the smarthost may have queued it (RFC 1047).
    [InlineData("drop after RCPT", NoticeDeliveryOutcome.Uncertain)]
    [InlineData("drop after DATA", NoticeDeliveryOutcome.Uncertain)]
    [InlineData("drop after the final dot", NoticeDeliveryOutcome.Uncertain)]
    // A reply to the message is a clear answer, whatever came before.
    [InlineData("451 after the final dot", NoticeDeliveryOutcome.Deferred)]
    [InlineData("554 after the final dot", NoticeDeliveryOutcome.Rejected)]
    public async Task SendAsync_SaysWhetherTheNoticeMayHaveGoneOut_WhenTheSmarthostFailsPartWay(string script, NoticeDeliveryOutcome expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var peer = ScriptedSmarthostAsync(listener, script);
        var smarthost = On(listener, connect: TimeSpan.FromSeconds(10), command: TimeSpan.FromSeconds(10));

        var delivery = await Sender(smarthost).SendAsync(Notice(new NoticeSigner(null), "abuse@owner.test"), ReturnPath, "abuse@owner.test", CancellationToken.None);
        listener.Stop();
        await peer;

        Assert.Equal(expected, delivery.Outcome);
    }

    /// <summary>
    /// One client: a smarthost without PIPELINING that answers MAIL, RCPT and DATA with success until
    /// <paramref name="script"/> says "drop after X" (it hangs up once it has answered X, or on MAIL without
    /// answering RCPT) or "NNN after the final dot" (that reply to the message).
    /// </summary>
    private static async Task ScriptedSmarthostAsync(TcpListener listener, string script)
    {
        try
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
            async Task SayAsync(string line) => await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(line + "\r\n"));
            await SayAsync("220 scripted.test ESMTP");
            while (await reader.ReadLineAsync() is { } command)
            {
                var verb = command.Split(' ', 2)[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await SayAsync("250-scripted.test");
                        await SayAsync("250 8BITMIME");
                        break;
                    case "MAIL":
                        await SayAsync("250 2.1.0 Ok");
                        if (script == "drop after MAIL") return;
                        break;
                    case "RCPT":
                        await SayAsync("250 2.1.5 Ok");
                        if (script == "drop after RCPT") return;
                        break;
                    case "DATA":
                        await SayAsync("354 End data with <CR><LF>.<CR><LF>");
                        if (script == "drop after DATA") return;
                        while (await reader.ReadLineAsync() is { } line && line != ".")
                        {
                            // The message: swallowed.
                        }
                        if (script == "drop after the final dot") return;
                        await SayAsync(script.StartsWith("451", StringComparison.Ordinal) ? "451 4.3.0 try again later" : "554 5.7.1 message refused");
                        break;
                    case "QUIT":
                        await SayAsync("221 2.0.0 Bye");
                        return;
                    default:
                        await SayAsync("502 5.5.2 not implemented");
                        break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // The sender hung up or the listener stopped: the test is over.
        }
    }

    /// <summary>Accepts one client, greets it, then reads and never answers, until the listener stops.</summary>
    private static async Task SilentAfterGreetingAsync(TcpListener listener)
    {
        try
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await stream.WriteAsync("220 slow.test ESMTP\r\n"u8.ToArray());
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer) > 0)
            {
                // Swallows EHLO and anything after it without a reply.
            }
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException)
        {
            // The sender hung up or the listener stopped: the test is over.
        }
    }

    private async Task<MimeMessage> WaitForOwnerMessageAsync(string messageId)
    {
        var imap = lab.EndPoint("IMAP");
        using var client = new ImapClient();
        await client.ConnectAsync(imap.Address.ToString(), imap.Port, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(lab["NOTIFIER_LAB_OWNER_IMAP_USER"], lab["NOTIFIER_LAB_OWNER_IMAP_PASSWORD"]);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var found = await client.Inbox.SearchAsync(SearchQuery.HeaderContains("Message-ID", messageId));
            if (found.Count > 0)
            {
                var message = await client.Inbox.GetMessageAsync(found[0]);
                await client.DisconnectAsync(true);
                return message;
            }
            Assert.True(DateTime.UtcNow < deadline, $"notice {messageId} did not arrive in the owner mailbox within 30 s");
            await Task.Delay(200);
            await client.NoOpAsync();
        }
    }
}
