using System.Security.Cryptography;
using MimeKit;
using MimeKit.Cryptography;

namespace Notifier.Probing;

/// <summary>
/// DKIM-signs test messages (RFC 6376) so a receiving operator can see they really come from us, and so the
/// canary domain's own filters do not discard them. The key is an RSA key in a PEM file; when the file does not
/// exist it is created (2048 bits, owner-only) and the DNS TXT record to publish is written beside it
/// (<c>&lt;file&gt;.txt</c>) and to the console.
/// </summary>
public sealed class TestMessageSigner
{
    /// <summary>What is signed: the headers a relay must not change, and the token headers that are the evidence.</summary>
    private static readonly HeaderId[] SignedHeaders = [HeaderId.From, HeaderId.To, HeaderId.Subject, HeaderId.Date, HeaderId.MessageId];

    private readonly DkimSigner _signer;

    /// <summary>The key, for the platform's RSA (<see cref="NativeRsaSigner"/>); kept for the signer's lifetime (the service's).</summary>
    private readonly RSA _rsa;

    /// <param name="pem">The RSA private key in PEM form.</param>
    /// <param name="clock">The time the signature's <c>t=</c> tag carries (RFC 6376 §3.5).</param>
    private TestMessageSigner(string pem, string domain, string selector, TimeProvider clock)
    {
        Domain = domain;
        Selector = selector;
        _rsa = RSA.Create();
        _rsa.ImportFromPem(pem);
        PublicKey = Convert.ToBase64String(_rsa.ExportSubjectPublicKeyInfo());
        DnsRecord = TxtRecord(PublicKey, domain, selector);
        using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(_rsa.ExportRSAPrivateKeyPem()));
        _signer = new ClockedDkimSigner(stream, domain, selector, clock, _rsa)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            AgentOrUserIdentifier = "@" + domain,
        };
    }

    public string Domain { get; }

    public string Selector { get; }

    /// <summary>The public key as the record's <c>p=</c> tag carries it (base64 SubjectPublicKeyInfo, RFC 6376 §3.6.1).</summary>
    public string PublicKey { get; }

    /// <summary>The name the record is published at: <c>selector._domainkey.domain</c> (RFC 6376 §3.6.2.1).</summary>
    public string RecordName => $"{Selector}._domainkey.{Domain}";

    /// <summary>The TXT record a user publishes, in zone-file form.</summary>
    public string DnsRecord { get; }

    /// <summary>Signs a test message in place: the standard headers and the token headers that are the evidence.</summary>
    public void Sign(MimeMessage message) =>
        Sign(message, SignedHeaders.Select(h => h.ToHeaderName()).Concat([TestMessage.TokenHeader, TestMessage.TargetHeader]));

    /// <summary>
    /// Signs in place over those of <paramref name="headers"/> the message has (the notices sign their own list
    /// with the same key handling). Prepares the message for 7-bit transport first, since any later re-encoding
    /// would break the body hash.
    /// </summary>
    public void Sign(MimeMessage message, IEnumerable<string> headers)
    {
        message.Prepare(EncodingConstraint.SevenBit);
        _signer.Sign(message, headers.Where(message.Headers.Contains).Distinct(StringComparer.OrdinalIgnoreCase).ToArray());
    }

    /// <summary>
    /// Opens the key file, creating it with a new key at first use. <paramref name="announce"/> gets the DNS record
    /// when a key was created, so that the operator can publish it. <paramref name="clock"/> stamps the signatures
    /// (the system clock when not given).
    /// </summary>
    public static TestMessageSigner FromFile(string path, string domain, string selector, Action<string>? announce, TimeProvider? clock = null)
    {
        var key = KeyFile.ReadOrCreate(path, () =>
        {
            using var rsa = RSA.Create(2048);
            return rsa.ExportRSAPrivateKeyPem();
        });
        var signer = new TestMessageSigner(key.Text, domain, selector, clock ?? TimeProvider.System);
        if (key.Created)
        {
            // Only the process whose key won the race announces it; the record is derived from the file's key.
            File.WriteAllText(key.FullPath + ".txt", signer.DnsRecord + "\n");
            announce?.Invoke(signer.DnsRecord);
        }
        return signer;
    }

    /// <summary><c>selector._domainkey.domain. IN TXT "v=DKIM1; k=rsa; p=…"</c>, split into 255-character strings (RFC 7208 §3.3 style).</summary>
    private static string TxtRecord(string publicKey, string domain, string selector)
    {
        var value = "v=DKIM1; k=rsa; p=" + publicKey;
        var chunks = value.Chunk(255).Select(c => $"\"{new string(c)}\"");
        return $"{selector}._domainkey.{domain}. IN TXT ( {string.Join(" ", chunks)} )";
    }

    /// <summary>
    /// MimeKit's signer with the signing time from our <see cref="TimeProvider"/> instead of its own
    /// <c>DateTime.UtcNow</c>: the same notice built twice at one instant signs the same, and tests can fix the time.
    /// The RSA operation is the platform's (<see cref="NativeRsaSigner"/>); MimeKit still canonicalises and hashes.
    /// </summary>
    private sealed class ClockedDkimSigner(Stream key, string domain, string selector, TimeProvider clock, RSA rsa)
        : DkimSigner(key, domain, selector, DkimSignatureAlgorithm.RsaSha256)
    {
        protected override long GetTimestamp() => clock.GetUtcNow().ToUnixTimeSeconds();

        protected override Org.BouncyCastle.Crypto.ISigner CreateSigningContext() => new NativeRsaSigner(rsa);
    }
}
