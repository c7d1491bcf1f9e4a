using Microsoft.Extensions.Time.Testing;
using MimeKit;
using MimeKit.Cryptography;
using Notifier.Probing;
using Notifier.Tests.Notices;

namespace Notifier.Tests.Probing;

/// <summary>
/// The DKIM signature of a test message, now made by the platform's RSA rather than BouncyCastle's (issue 17): what a
/// receiving operator's verifier sees must not change.
/// </summary>
public sealed class TestMessageSignerTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("notifier-dkim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sign_WritesTheSignatureMimeKitsOwnSignerWrites_WhenGivenTheSameKeyAndTime()
    {
        var file = Path.Combine(_dir, "dkim.pem");
        var signer = TestMessageSigner.FromFile(file, "canary.test", "nt1", null, new FakeTimeProvider(At));
        var ours = Message();
        var theirs = Message();

        signer.Sign(ours);
        theirs.Prepare(EncodingConstraint.SevenBit);
        await using (var key = File.OpenRead(file))
        {
            new FixedTimeDkimSigner(key, At)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                AgentOrUserIdentifier = "@canary.test",
            }.Sign(theirs, new[] { "From", "To", "Subject", "Date", "Message-Id", TestMessage.TokenHeader, TestMessage.TargetHeader }
                .Where(theirs.Headers.Contains).ToArray());
        }

        var signature = ours.Headers[HeaderId.DkimSignature];
        Assert.Equal(theirs.Headers[HeaderId.DkimSignature], signature);
        Assert.Contains("b=", signature, StringComparison.Ordinal);
        var wire = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(TestMessage.Serialize(ours))));
        Assert.True(await NoticeSamples.VerifierFor(signer.DnsRecord).VerifyAsync(wire, wire.Headers[wire.Headers.IndexOf(HeaderId.DkimSignature)]));
    }

    [Fact]
    public async Task Sign_SignsEveryMessageVerifiably_WhenManyProbesSignAtOnce()
    {
        var signer = TestMessageSigner.FromFile(Path.Combine(_dir, "dkim.pem"), "canary.test", "nt1", null);
        var signed = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(() =>
        {
            var m = Message(i);
            signer.Sign(m);
            return TestMessage.Serialize(m);
        })));

        var verifier = NoticeSamples.VerifierFor(signer.DnsRecord);
        foreach (var text in signed)
        {
            var wire = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)));
            Assert.True(await verifier.VerifyAsync(wire, wire.Headers[wire.Headers.IndexOf(HeaderId.DkimSignature)]));
        }
    }

    private static MimeMessage Message(int n = 0)
    {
        var token = new string((char)('a' + n % 26), 40);
        return TestMessage.Build(new TestMessage.Facts(token, $"relaytest+{token}@canary.test", "relaytest@canary.test",
            $"192.0.2.{n + 1}:25", "plain", At, "Notifier", null, null));
    }

    /// <summary>MimeKit's DKIM signer as it comes (BouncyCastle's RSA), at a fixed signing time.</summary>
    private sealed class FixedTimeDkimSigner(Stream key, DateTimeOffset at) : DkimSigner(key, "canary.test", "nt1", DkimSignatureAlgorithm.RsaSha256)
    {
        protected override long GetTimestamp() => at.ToUnixTimeSeconds();
    }
}
