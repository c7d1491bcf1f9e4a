using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;

namespace Notifier.Auth;

/// <summary>
/// Operator accounts: the first admin at first start, password checks with lockout, and what an admin does to an
/// account (add, change the role, disable, enable, reset the password). The /operators page and the
/// <c>operator</c> CLI verb both call these methods; a refused change throws <see cref="OperatorAccountException"/>.
/// </summary>
public sealed class OperatorAccounts(NotifierDb db, TimeProvider time, IPasswordHasher<OperatorAccount> hasher, IOptions<AuthOptions> options)
{
    /// <summary>
    /// What a sign-in attempt came to; <see cref="Account"/> is set only when it succeeded. <see cref="Disabled"/> is
    /// true only when the password was right (so a guesser learns nothing about which accounts are disabled).
    /// <see cref="LockedUntil"/> and <see cref="Unknown"/> are for the log, not for the client (see the login page).
    /// </summary>
    public sealed record SignInCheck(OperatorAccount? Account, DateTimeOffset? LockedUntil, bool Disabled = false, bool Unknown = false)
    {
        public static readonly SignInCheck Failed = new(null, null);

        public static readonly SignInCheck UnknownUser = new(null, null, Unknown: true);
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
        if (UserNameError(userName) is { } nameError) throw new OperatorAccountException(nameError);
        RequireRole(role);
        if (await db.Operators.AnyAsync(o => o.UserName == userName, ct)) throw new OperatorAccountException($"an operator named \"{userName}\" exists");
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
            return SignInCheck.UnknownUser;
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
        if (account.DisabledAt is not null) return new SignInCheck(null, null, Disabled: true);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) account.PasswordHash = hasher.HashPassword(account, password);
        account.FailedSignIns = 0;
        account.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        return new SignInCheck(account, null);
    }

    /// <summary>
    /// The account a sign-in cookie was issued for, while that session is still valid: the account exists, is not
    /// disabled, and its stamp is unchanged.
    /// </summary>
    public async Task<OperatorAccount?> FindSessionAsync(string? userName, string? securityStamp, CancellationToken ct)
    {
        if (userName is null || securityStamp is null) return null;
        var account = await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.UserName == userName, ct);
        return account is { DisabledAt: null } && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(account.SecurityStamp), System.Text.Encoding.ASCII.GetBytes(securityStamp)) ? account : null;
    }

    /// <summary>Every account by user name, for the admin page and <c>operator list</c>.</summary>
    public async Task<IReadOnlyList<OperatorAccount>> ListAsync(CancellationToken ct) =>
        await db.Operators.AsNoTracking().OrderBy(o => o.UserName).ToListAsync(ct);

    /// <summary>Adds an operator with a generated password and returns that password (shown once, stored only hashed).</summary>
    public async Task<string> CreateAsync(string userName, string role, CancellationToken ct)
    {
        var password = NewPassword();
        await AddAsync(userName, password, role, ct);
        return password;
    }

    /// <summary>Gives the account another role; its sessions end at once (a new security stamp), so the next request signs in again with the new role.</summary>
    public Task SetRoleAsync(string userName, string role, CancellationToken ct)
    {
        RequireRole(role);
        return ChangeUnlessLastAdminAsync(userName, removesAdmin: role != OperatorRole.Admin,
            s => s.SetProperty(o => o.Role, role), "demoted", ct);
    }

    /// <summary>Refuses every sign-in of the account and ends its open sessions (a new security stamp). Disabling a disabled account changes nothing.</summary>
    public async Task DisableAsync(string userName, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var account = await FindAsync(userName, ct);
        if (account.DisabledAt is not null) return;
        await ChangeUnlessLastAdminAsync(userName, removesAdmin: true, s => s.SetProperty(o => o.DisabledAt, now), "disabled", ct);
    }

    /// <summary>Lets the account sign in again (with its password as it was).</summary>
    public async Task EnableAsync(string userName, CancellationToken ct)
    {
        await FindAsync(userName, ct);
        await db.Operators.Where(o => o.UserName == userName).ExecuteUpdateAsync(s => s.SetProperty(o => o.DisabledAt, (DateTimeOffset?)null), ct);
    }

    /// <summary>
    /// Applies <paramref name="change"/> and a new security stamp in one UPDATE whose WHERE also says "unless this is
    /// the last enabled admin" when the change takes the admin away: one statement, so two admins demoting each other
    /// at the same moment cannot both succeed and leave nobody to manage the accounts.
    /// </summary>
    private async Task ChangeUnlessLastAdminAsync(string userName, bool removesAdmin,
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<OperatorAccount>> change, string what, CancellationToken ct)
    {
        await FindAsync(userName, ct);
        var stamp = NewSecurityStamp();
        var target = db.Operators.Where(o => o.UserName == userName);
        if (removesAdmin)
            target = target.Where(o => o.Role != OperatorRole.Admin || o.DisabledAt != null
                || db.Operators.Any(other => other.Id != o.Id && other.Role == OperatorRole.Admin && other.DisabledAt == null));
        var changed = await target.ExecuteUpdateAsync(s =>
        {
            change(s);
            s.SetProperty(o => o.SecurityStamp, stamp);
        }, ct);
        if (changed == 0)
            throw new OperatorAccountException($"\"{userName}\" is the last enabled admin and cannot be {what}: make another operator admin first");
    }

    private async Task<OperatorAccount> FindAsync(string userName, CancellationToken ct) =>
        await db.Operators.AsNoTracking().SingleOrDefaultAsync(o => o.UserName == userName, ct)
            ?? throw new OperatorAccountException($"no operator named \"{userName}\"");

    private static void RequireRole(string role)
    {
        if (!OperatorRole.IsValid(role)) throw new OperatorAccountException($"a role is one of {string.Join(", ", OperatorRole.All)}, not \"{role}\"");
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
