using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Auth;

/// <summary>Creates, finds and revokes API keys. Keys are 160 random bits, so a plain SHA-256 is a sufficient hash.</summary>
public sealed class ApiKeys(NotifierDb db, TimeProvider time)
{
    private const string KeyPrefix = "nk_";
    private const int PrefixLength = 11;

    /// <summary>Returns the new key; it is not stored and cannot be shown again.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string name, string scope, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100) throw new ArgumentException("a key name is 1-100 characters", nameof(name));
        if (scope is not (ApiScope.Read or ApiScope.Write)) throw new ArgumentException("scope must be read or write", nameof(scope));
        if (await db.ApiKeys.AnyAsync(k => k.Name == name && k.RevokedAt == null, ct))
            throw new ArgumentException($"an active key named \"{name}\" exists; revoke it first", nameof(name));
        var secret = KeyPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        var key = new ApiKey { Name = name, Scope = scope, Prefix = secret[..PrefixLength], Hash = Hash(secret), CreatedAt = time.GetUtcNow() };
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return (key, secret);
    }

    /// <summary>The active key matching <paramref name="secret"/>, or null.</summary>
    public async Task<ApiKey?> FindAsync(string secret, CancellationToken ct)
    {
        if (secret.Length < PrefixLength || !secret.StartsWith(KeyPrefix, StringComparison.Ordinal)) return null;
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Prefix == secret.Substring(0, PrefixLength), ct);
        if (key is null || key.RevokedAt is not null) return null;
        var ok = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key.Hash), Encoding.ASCII.GetBytes(Hash(secret)));
        return ok ? key : null;
    }

    public async Task<bool> RevokeAsync(string name, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        return await db.ApiKeys.Where(k => k.Name == name && k.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), ct) > 0;
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
