using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Tests.Notices;

/// <summary>Representative notices and the builder that turns them into messages, signed with a key made for the test.</summary>
internal static partial class NoticeSamples
{
    public static NoticesOptions Options(string? outbox = null) => new()
    {
        DeskName = "Example CERT abuse desk",
        DeskAddress = "notices@desk.test",
        DeskReplyAddress = "abuse@desk.test",
        OptOutAddress = "opt-out@desk.test",
        OutboxDirectory = outbox ?? "data/outbox",
    };

    /// <summary>A signer with a fresh key in its own temporary folder (deleted with the returned handle).</summary>
    public static TempSigner Signer() => new();

    public static NoticeMessageBuilder Builder(NoticeSigner signer) => new(Microsoft.Extensions.Options.Options.Create(Options()), signer);

    public static NoticeRelay Relay(string address = "192.0.2.10", string? hostName = "mail.example.net") => new()
    {
        CaseReference = "NR-000123",
        Address = address,
        Port = 25,
        HostName = hostName,
        ObservedAt = new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero),
        ConfirmedAt = new DateTimeOffset(2026, 11, 30, 8, 16, 30, TimeSpan.Zero),
        Verdict = "open",
        Variant = "plain",
        AcceptedSender = "relaytest@canary.test",
        AcceptedRecipient = "relaytest+abc@canary.test",
        Mta = "Postfix",
        Banner = "220 mail.example.net ESMTP Postfix",
    };

    public static NoticeMail Mail(IReadOnlyList<NoticeAttachment>? attachments = null, string? oneClick = null,
        IReadOnlyList<string>? earlier = null, string subject = "[NR-000123] Open mail relay at 192.0.2.10", string to = "abuse@owner.test",
        string caseReference = "NR-000123", string? messageId = null) => new()
        {
            Content = new RenderedNotice(subject, "<p>Dear abuse team, <b>192.0.2.10</b> relays mail. Grüße</p>", "Dear abuse team,\nRelay: 192.0.2.10:25\nGrüße\n"),
            To = to,
            MessageId = messageId ?? $"notice.{Guid.NewGuid():n}@desk.test",
            CaseReference = caseReference,
            Date = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
            EarlierMessageIds = earlier ?? [],
            OneClickUnsubscribeUrl = oneClick,
            Attachments = attachments ?? [],
        };

    /// <summary>The message as a receiver parses it from the wire.</summary>
    public static MimeMessage Wire(MimeMessage message)
    {
        var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    /// <summary>The header lines of the message as sent, unfolded.</summary>
    public static string[] HeaderLines(MimeMessage message)
    {
        var stream = new MemoryStream();
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        message.Headers.WriteTo(format, stream);
        var text = System.Text.Encoding.ASCII.GetString(stream.ToArray());
        return FoldedLineBreak().Replace(text, " ").Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
    }

    [GeneratedRegex(@"\r\n(?=[ \t])")]
    private static partial Regex FoldedLineBreak();

    public sealed class TempSigner : IDisposable
    {
        private readonly string _dir = Path.Combine(Path.GetTempPath(), "notifier-notice-dkim-" + Guid.NewGuid().ToString("n"));

        public TempSigner()
        {
            // A fixed signing time (the notices' Date): a message built twice signs the same, to the byte.
            Key = TestMessageSigner.FromFile(Path.Combine(_dir, "dkim.pem"), "desk.test", "nt1", null,
                new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)));
            Signer = new NoticeSigner(Key);
        }

        public TestMessageSigner Key { get; }

        public NoticeSigner Signer { get; }

        public DkimVerifier Verifier() => VerifierFor(Key.DnsRecord);

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A verifier that finds the public key in <paramref name="dnsRecord"/> (the TXT record a signer prints).</summary>
    public static DkimVerifier VerifierFor(string dnsRecord) => new(new RecordLocator(dnsRecord));

    /// <summary>Answers the DKIM key query from the record the signer printed, as DNS would once it is published.</summary>
    private sealed class RecordLocator(string record) : DkimPublicKeyLocatorBase
    {
        private string Value => string.Concat(Regex.Matches(record, "\"([^\"]*)\"").Select(m => m.Groups[1].Value));

        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(Value);

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(GetPublicKey(Value));
    }
}
