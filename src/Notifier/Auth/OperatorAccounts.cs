using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Auth;

/// <summary>Operator accounts: the first admin at first start, password checks and resets.</summary>
public sealed class OperatorAccounts(NotifierDb db, TimeProvider time)
{
    private static readonly PasswordHasher<OperatorAccount> Hasher = new();

    /// <summary>Creates <c>admin</c> with a generated password when no operator exists; returns the password, else null.</summary>
    public async Task<string?> EnsureFirstAdminAsync(CancellationToken ct)
    {
        if (await db.Operators.AnyAsync(ct)) return null;
        var password = NewPassword();
        await AddAsync("admin", password, isAdmin: true, ct);
        return password;
    }

    public async Task<OperatorAccount> AddAsync(string userName, string password, bool isAdmin, CancellationToken ct)
    {
        var account = new OperatorAccount { UserName = userName, PasswordHash = "", IsAdmin = isAdmin, CreatedAt = time.GetUtcNow() };
        account.PasswordHash = Hasher.HashPassword(account, password);
        db.Operators.Add(account);
        await db.SaveChangesAsync(ct);
        return account;
    }

    public async Task<OperatorAccount?> CheckAsync(string userName, string password, CancellationToken ct)
    {
        var account = await db.Operators.SingleOrDefaultAsync(o => o.UserName == userName, ct);
        if (account is null) return null;
        return Hasher.VerifyHashedPassword(account, account.PasswordHash, password) == PasswordVerificationResult.Failed ? null : account;
    }

    /// <summary>Sets a new generated password and returns it.</summary>
    public async Task<string?> ResetPasswordAsync(string userName, CancellationToken ct)
    {
        var account = await db.Operators.SingleOrDefaultAsync(o => o.UserName == userName, ct);
        if (account is null) return null;
        var password = NewPassword();
        account.PasswordHash = Hasher.HashPassword(account, password);
        await db.SaveChangesAsync(ct);
        return password;
    }

    /// <summary>18 random bytes as URL-safe base64: 24 characters, 144 bits.</summary>
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
}
