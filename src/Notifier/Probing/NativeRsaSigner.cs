using System.Buffers;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Notifier.Probing;

/// <summary>
/// RSA-SHA256 with PKCS #1 v1.5 padding (DKIM's rsa-sha256, RFC 6376 §3.3.1) for MimeKit's DKIM signer, computed by the
/// platform's RSA (OpenSSL on Linux) instead of BouncyCastle's managed big integers. MimeKit 4 signs with BouncyCastle;
/// a freshly started service ran those in unoptimised first-tier code, and DKIM signing was the largest single cost of
/// probing an open relay (a sixth of the service's CPU over the batch benchmark's 100 open relays, issue 17). PKCS #1
/// v1.5 signatures are deterministic: the signature is the same bytes BouncyCastle's signer produced.
/// One signature at a time, like the BouncyCastle signer it replaces (MimeKit creates one per signature); the key is
/// shared by every probe's signer, and its use is serialised, since .NET does not promise that one RSA object signs
/// safely on several threads at once.
/// </summary>
internal sealed class NativeRsaSigner(RSA key) : ISigner
{
    /// <summary>
    /// What is signed, hashed at the end: the canonical header block (RFC 6376 §3.7), a few hundred bytes (the body
    /// is hashed by MimeKit apart, into bh=). A buffer rather than an IncrementalHash, which would hold a native
    /// handle that nothing disposes (ISigner is not IDisposable).
    /// </summary>
    private readonly ArrayBufferWriter<byte> _data = new(1024);

    public string AlgorithmName => "SHA-256withRSA";

    /// <summary>The key is given at construction; MimeKit calls Init only on the signers it creates itself.</summary>
    public void Init(bool forSigning, ICipherParameters parameters) => throw new NotSupportedException("the key is given at construction");

    public void Update(byte input) => _data.Write([input]);

    public void BlockUpdate(byte[] input, int inOff, int inLen) => _data.Write(input.AsSpan(inOff, inLen));

    public void BlockUpdate(ReadOnlySpan<byte> input) => _data.Write(input);

    public int GetMaxSignatureSize() => key.KeySize / 8;

    public byte[] GenerateSignature()
    {
        var hash = TakeHash();
        lock (key) return key.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public bool VerifySignature(byte[] signature)
    {
        var hash = TakeHash();
        lock (key) return key.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    public void Reset() => _data.Clear();

    private byte[] TakeHash()
    {
        var hash = SHA256.HashData(_data.WrittenSpan);
        _data.Clear();
        return hash;
    }
}
