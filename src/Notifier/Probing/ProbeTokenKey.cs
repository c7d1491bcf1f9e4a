namespace Notifier.Probing;

/// <summary>The HMAC key canary tokens are made and verified with.</summary>
public sealed class ProbeTokenKey(byte[] key)
{
    public ReadOnlySpan<byte> Bytes => key;

    /// <summary>A key for one process only (the CLI without a configured key): tokens it makes verify only in it.</summary>
    public static ProbeTokenKey Ephemeral() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Reads the key file, or creates it (owner-only permissions, see <see cref="KeyFile"/>) with a new random key.</summary>
    public static ProbeTokenKey FromFile(string path) =>
        FromBase64(KeyFile.ReadOrCreate(path, () => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))).Text.Trim());

    public static ProbeTokenKey FromBase64(string value)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Probing:TokenKey is not valid base64");
        }
        if (bytes.Length < 32) throw new InvalidOperationException("Probing:TokenKey must be at least 32 bytes (base64 of 32 random bytes)");
        return new ProbeTokenKey(bytes);
    }
}
