using System.Net;
using MimeKit;
using MimeKit.Cryptography;
using Notifier.Inbox;
using Notifier.Intake;
using Notifier.Probing;

namespace Notifier.Tests.Inbox;

public sealed class CanaryReaderTests
{
    private static MimeMessage WithReceived(params string[] received)
    {
        var m = new MimeMessage();
        // Received headers are prepended: the first given is the topmost (newest).
        foreach (var r in received.Reverse()) m.Headers.Insert(0, new Header("Received", r));
        m.To.Add(MailboxAddress.Parse($"relaytest+{new string('b', 40)}@canary.example"));
        return m;
    }

    private const string Lmtp = "from mx1.canary.example ([10.0.0.5]) by store.canary.example with LMTP id abc; Thu, 26 Nov 2026 10:00:02 +0000";
    private const string FromRelay = "from mail.relay.example (mail.relay.example [203.0.113.9]) by mx1.canary.example (Postfix) with ESMTP id 1; Thu, 26 Nov 2026 10:00:01 +0000";
    private const string FromOther = "from smarthost.isp.example (smarthost.isp.example [198.51.100.77]) by mx1.canary.example (Postfix) with ESMTP id 2; Thu, 26 Nov 2026 10:00:01 +0000";
    private const string Internal = "from edge.canary.example (edge.canary.example [10.0.0.9]) by mx1.canary.example (Postfix) with ESMTP id 3; Thu, 26 Nov 2026 10:00:01 +0000";
    private const string EdgeFromRelay = "from mail.relay.example (mail.relay.example [203.0.113.9]) by edge.canary.example (Postfix) with ESMTP id 4; Thu, 26 Nov 2026 10:00:00 +0000";

    [Fact]
    public void Judge_Confirmed_WhenTopmostOwnHopIsFromTheProbedAddress()
    {
        var hop = CanaryReader.FindHandOver(WithReceived(Lmtp, FromRelay), TrustedReceivers.None, TargetPolicy.PublicOnly);
        Assert.Equal(ProbeVerdict.Confirmed, CanaryReader.Judge(hop, IPAddress.Parse("203.0.113.9"), null).Verdict);
    }

    [Fact]
    public void Judge_Multihop_WhenHandedOverByAnotherHost()
    {
        var hop = CanaryReader.FindHandOver(WithReceived(Lmtp, FromOther, EdgeFromRelay), TrustedReceivers.None, TargetPolicy.PublicOnly);
        var (verdict, why) = CanaryReader.Judge(hop, IPAddress.Parse("203.0.113.9"), null);
        Assert.Equal(ProbeVerdict.Multihop, verdict);
        Assert.Contains("198.51.100.77", why, StringComparison.Ordinal);
    }

    [Fact]
    public void FindHandOver_SkipsTrustedHops_FromIntakeTrustedReceivers()
    {
        var trusted = new TrustedReceivers(["*.canary.example"], [new IPNetwork(IPAddress.Parse("10.0.0.0"), 8)]);
        var hop = CanaryReader.FindHandOver(WithReceived(Lmtp, Internal, EdgeFromRelay), trusted, TargetPolicy.PublicOnly);
        Assert.Equal(IPAddress.Parse("203.0.113.9"), hop!.Address);
        Assert.Equal(3, hop.Number);
    }

    [Fact]
    public void Judge_Confirmed_ByReverseDnsName_WhenAddressDiffers()
    {
        var hop = CanaryReader.FindHandOver(WithReceived(FromRelay), TrustedReceivers.None, TargetPolicy.PublicOnly);
        Assert.Equal(ProbeVerdict.Confirmed, CanaryReader.Judge(hop, IPAddress.Parse("203.0.113.10"), "mail.relay.example").Verdict);
    }

    [Fact]
    public void FindToken_ReadsTheRecipientAddress_WhenNoTokenHeader() =>
        Assert.Equal(new string('b', 40), CanaryReader.FindToken(WithReceived(FromRelay)));
}

public sealed class TestMessageSignerTests
{
    [Fact]
    public async Task FromFile_CreatesKeyAndDnsRecord_AndSignaturesVerify()
    {
        var dir = Path.Combine(Path.GetTempPath(), "notifier-dkim-" + Guid.NewGuid().ToString("n"));
        var file = Path.Combine(dir, "dkim.pem");
        string? announced = null;
        var signer = TestMessageSigner.FromFile(file, "canary.example", "nt1", r => announced = r);

        Assert.True(File.Exists(file));
        Assert.NotNull(announced);
        Assert.StartsWith("nt1._domainkey.canary.example. IN TXT", announced, StringComparison.Ordinal);
        Assert.Equal(announced + "\n", await File.ReadAllTextAsync(file + ".txt"));
        var again = TestMessageSigner.FromFile(file, "canary.example", "nt1", _ => Assert.Fail("a second start must not create a new key"));
        Assert.Equal(signer.DnsRecord, again.DnsRecord);

        var message = TestMessage.Build(new TestMessage.Facts(new string('c', 40), $"relaytest+{new string('c', 40)}@canary.example",
            "relaytest@canary.example", "192.0.2.1:25", "plain", DateTimeOffset.UtcNow, "Notifier", null, null));
        signer.Sign(message);
        var wire = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(TestMessage.Serialize(message))));
        var dkim = wire.Headers[wire.Headers.IndexOf(HeaderId.DkimSignature)];
        Assert.Contains("x-notifier-relay-token", dkim.Value, StringComparison.OrdinalIgnoreCase);
        var verifier = new DkimVerifier(new RecordLocator(signer.DnsRecord));
        Assert.True(await verifier.VerifyAsync(wire, dkim));
        Directory.Delete(dir, true);
    }

    /// <summary>Answers the DKIM key query from the record the signer printed, as DNS would once it is published.</summary>
    private sealed class RecordLocator(string record) : DkimPublicKeyLocatorBase
    {
        private string Value => string.Concat(System.Text.RegularExpressions.Regex.Matches(record, "\"([^\"]*)\"").Select(m => m.Groups[1].Value));

        public override Org.BouncyCastle.Crypto.AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey(Value);

        public override Task<Org.BouncyCastle.Crypto.AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(GetPublicKey(Value));
    }
}
