using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Notifier.Probing;

/// <summary>
/// The canary token: proves that a message arriving at our canary domain is the one this probe sent through
/// this target at this time. Layout (lowercase base32, 40 characters, safe in a local part):
/// 16 chars probe key (10 random bytes) · 8 chars issue time (40-bit Unix seconds) ·
/// 16 chars HMAC-SHA256(key, probeKey | target | time) truncated to 80 bits.
/// </summary>
public static class ProbeToken
{
    public const int Length = 40;
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string NewProbeKey() => Base32(RandomNumberGenerator.GetBytes(10));

    public static string Create(ReadOnlySpan<byte> key, string probeKey, string target, DateTimeOffset issuedAt)
    {
        if (probeKey.Length != 16 || !probeKey.All(Alphabet.Contains))
            throw new ArgumentException("a probe key is 16 lowercase base32 characters", nameof(probeKey));
        var time = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, issuedAt.ToUnixTimeSeconds());
        var timePart = Base32(time.AsSpan(3, 5));
        return probeKey + timePart + Mac(key, probeKey, target, timePart);
    }

    /// <summary>Splits a token into probe key and issue time, without checking the MAC.</summary>
    public static bool TryParse(string token, out string probeKey, out DateTimeOffset issuedAt)
    {
        probeKey = "";
        issuedAt = default;
        token = token.ToLowerInvariant();
        if (token.Length != Length || !token.All(Alphabet.Contains)) return false;
        probeKey = token[..16];
        var t = FromBase32(token.Substring(16, 8));
        var time = new byte[8];
        t.CopyTo(time, 3);
        issuedAt = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(time));
        return true;
    }

    /// <summary>True when the token was made with this key for this target (constant-time comparison).</summary>
    public static bool Verify(ReadOnlySpan<byte> key, string token, string target)
    {
        if (!TryParse(token, out var probeKey, out _)) return false;
        token = token.ToLowerInvariant();
        var expected = Encoding.ASCII.GetBytes(Mac(key, probeKey, target, token.Substring(16, 8)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(token[24..]));
    }

    private static string Mac(ReadOnlySpan<byte> key, string probeKey, string target, string timePart)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{probeKey}|{target}|{timePart}"));
        return Base32(mac.AsSpan(0, 10));
    }

    private static string Base32(ReadOnlySpan<byte> data)
    {
        var sb = new StringBuilder((data.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    private static byte[] FromBase32(string s)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var ch in s)
        {
            buffer = (buffer << 5) | Alphabet.IndexOf(ch, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                bytes.Add((byte)((buffer >> (bits - 8)) & 0xff));
                bits -= 8;
            }
        }
        return [.. bytes];
    }
}
