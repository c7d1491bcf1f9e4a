namespace Notifier.Probing;

/// <summary>The HMAC key canary tokens are made and verified with.</summary>
public sealed class ProbeTokenKey(byte[] key)
{
    public ReadOnlySpan<byte> Bytes => key;

    /// <summary>A key for one process only (the CLI without a configured key): tokens it makes verify only in it.</summary>
    public static ProbeTokenKey Ephemeral() => new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>Reads the key file, or creates it (owner-only permissions) with a new random key.</summary>
    public static ProbeTokenKey FromFile(string path)
    {
        var full = Path.GetFullPath(path, Environment.CurrentDirectory);
        if (File.Exists(full)) return FromBase64(File.ReadAllText(full).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        try
        {
            using var writer = new StreamWriter(full, System.Text.Encoding.ASCII, options);
            writer.Write(Convert.ToBase64String(key));
        }
        catch (IOException) when (File.Exists(full))
        {
            // Another process created it first: use theirs.
            return FromBase64(File.ReadAllText(full).Trim());
        }
        return new ProbeTokenKey(key);
    }

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
