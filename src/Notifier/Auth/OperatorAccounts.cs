using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;

namespace Notifier.Auth;

/// <summary>Operator accounts: the first admin at first start, password checks with lockout, and resets.</summary>
public sealed class OperatorAccounts(NotifierDb db, TimeProvider time, IPasswordHasher<OperatorAccount> hasher, IOptions<AuthOptions> options)
{
    /// <summary>What a sign-in attempt came to; <see cref="Account"/> is set only when it succeeded.</summary>
    public sealed record SignInCheck(OperatorAccount? Account, DateTimeOffset? LockedUntil)
    {
        public static readonly SignInCheck Failed = new(null, null);
    }

    // An unknown user name is checked against this hash, so that it costs the same PBKDF2 work as a known one and
    // the response time does not tell which user names exist (Identity's hasher: 100,000 iterations, ~0.2 s).
    private static readonly OperatorAccount DummyAccount = new() { UserName = "", PasswordHash = "" };
    private static readonly string DummyHash = new PasswordHasher<OperatorAccount>().HashPassword(DummyAccount, NewPassword());

    /// <summary>Creates <c>admin</c> with a generated password when no operator exists; returns the password, else null.</summary>
    public async Task<string?> EnsureFirstAdminAsync(CancellationToken ct)
    {
        if (await db.Operators.AnyAsync(ct)) return null;
        var password = NewPassword();
        await AddAsync("admin", password, OperatorRole.Admin, ct);
        return password;
    }

    /// <summary>Why <paramref name="userName"/> cannot name an operator, or null: 1-100 characters, no white space or control characters.</summary>
    public static string? UserNameError(string? userName) =>
        string.IsNullOrEmpty(userName) || userName.Length > 100 || userName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? "a user name is 1-100 characters without spaces"
            : null;

    public async Task<OperatorAccount> AddAsync(string userName, string password, string role, CancellationToken ct)
    {
        var account = new OperatorAccount { UserName = userName, PasswordHash = "", Role = role, CreatedAt = time.GetUtcNow() };
        account.PasswordHash = hasher.HashPassword(account, password);
        db.Operators.Add(account);
        await db.SaveChangesAsync(ct);
        return account;
    }

    /// <summary>
    /// Checks a sign-in. <c>Auth:MaxFailedSignIns</c> wrong passwords in a row lock the account for
    /// <c>Auth:LockoutDuration</c>, during which even the right password is refused (as Identity's lockout).
    /// </summary>
    public async Task<SignInCheck> CheckAsync(string userName, string password, CancellationToken ct)
    {
        var account = await db.Operators.SingleOrDefaultAsync(o => o.UserName == userName, ct);
        if (account is null)
        {
            hasher.VerifyHashedPassword(DummyAccount, DummyHash, password);
            return SignInCheck.Failed;
        }
        var now = time.GetUtcNow();
        var verdict = hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (account.LockedUntil > now) return new SignInCheck(null, account.LockedUntil);
        if (verdict == PasswordVerificationResult.Failed)
        {
            // Counted in the database, not in the loaded row, so parallel guesses are all counted.
            await db.Operators.Where(o => o.Id == account.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.FailedSignIns, o => o.FailedSignIns + 1), ct);
            var o = options.Value;
            var until = now + o.LockoutDuration;
            var locked = await db.Operators.Where(x => x.Id == account.Id && x.FailedSignIns >= o.MaxFailedSignIns)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LockedUntil, until).SetProperty(x => x.FailedSignIns, 0), ct);
            return new SignInCheck(null, locked > 0 ? until : null);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) account.PasswordHash = hasher.HashPassword(account, password);
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        return new SignInCheck(account, null);
    }

    /// <summary>The account a sign-in cookie was issued for, while that session is still valid: the account exists and its stamp is unchanged.</summary>
    public async Task<OperatorAccount?> FindSessionAsync(string? userName, string? securityStamp, CancellationToken ct)
    {
        if (userName is null || securityStamp is null) return null;
        var account = await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.UserName == userName, ct);
        return account is not null && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(account.SecurityStamp), System.Text.Encoding.ASCII.GetBytes(securityStamp)) ? account : null;
    }

    /// <summary>Sets a new generated password and returns it. Every session signed in before ends (a new security stamp); a lockout is lifted.</summary>
    public async Task<string?> ResetPasswordAsync(string userName, CancellationToken ct)
    {
        var account = await db.Operators.SingleOrDefaultAsync(o => o.UserName == userName, ct);
        if (account is null) return null;
        var password = NewPassword();
        account.PasswordHash = hasher.HashPassword(account, password);
        account.SecurityStamp = NewSecurityStamp();
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        return password;
    }

    /// <summary>18 random bytes as URL-safe base64: 24 characters, 144 bits.</summary>
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');

    /// <summary>128 random bits in hex.</summary>
    public static string NewSecurityStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}
