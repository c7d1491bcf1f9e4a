using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// Creates the owner's self-service links (<c>/r/&lt;token&gt;</c>) that notices carry. The page itself is its own
/// issue; here the token is made, stored hashed, and the URL built from <c>Notices:PublicBaseUrl</c>.
/// </summary>
public sealed class OwnerLinks(NotifierDb db, IOptions<NoticePolicyOptions> options)
{
    /// <summary>Whether links can be made at all (a public base URL is configured).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl);

    /// <summary>
    /// A fresh link for the case and contact; earlier live links of the pair are revoked, so only the newest notice's
    /// link works. Tracked, not saved: the caller saves it with its own changes. Null when no base URL is configured.
    /// </summary>
    public async Task<(string Url, DateTimeOffset ExpiresAt)?> CreateAsync(int caseId, long caseContactId, DateTimeOffset now, CancellationToken ct)
    {
        if (!Enabled) return null;
        var earlier = await db.OwnerLinks.Where(l => l.CaseId == caseId && l.CaseContactId == caseContactId && l.RevokedAt == null).ToListAsync(ct);
        foreach (var l in earlier) l.RevokedAt = now;
        // 256 bits from the OS CSPRNG, base64url (RFC 4648 §5) so it sits in a URL path unescaped.
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = now.AddDays(options.Value.OwnerLinkDays);
        db.OwnerLinks.Add(new OwnerLink { CaseId = caseId, CaseContactId = caseContactId, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = expires });
        return ($"{options.Value.PublicBaseUrl!.TrimEnd('/')}/r/{token}", expires);
    }

    /// <summary>The stored form of a token: lowercase hex SHA-256 of its text.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
