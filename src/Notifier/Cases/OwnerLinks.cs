using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// The owner's self-service links (<c>/r/&lt;token&gt;</c>) that notices carry: made here, stored hashed, the URL
/// built from <c>Notices:PublicBaseUrl</c>; checked here when someone opens one (<c>Pages/Owner</c>).
/// </summary>
public sealed class OwnerLinks(NotifierDb db, IOptions<NoticePolicyOptions> options)
{
    /// <summary>Whether links can be made at all (a public base URL is configured).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl);

    /// <summary>
    /// How long a link keeps working after a newer notice's link replaced it. The owner may be on the page at that
    /// moment: the thank-you notice after their own retest replaces the link their browser is polling for the verdict.
    /// </summary>
    public static readonly TimeSpan ReplacedLinkGrace = TimeSpan.FromHours(1);

    /// <summary>
    /// A fresh link for the case and contact; earlier live links of the pair are revoked as of
    /// <see cref="ReplacedLinkGrace"/> from now, so only the newest notice's link works after that. Tracked, not saved:
    /// the caller saves it with its own changes. Null when no base URL is configured.
    /// </summary>
    public async Task<(string Url, DateTimeOffset ExpiresAt)?> CreateAsync(int caseId, long caseContactId, DateTimeOffset now, CancellationToken ct)
    {
        if (!Enabled) return null;
        var earlier = await db.OwnerLinks.Where(l => l.CaseId == caseId && l.CaseContactId == caseContactId && l.RevokedAt == null).ToListAsync(ct);
        foreach (var l in earlier) l.RevokedAt = now + ReplacedLinkGrace;
        // 256 bits from the OS CSPRNG, base64url (RFC 4648 §5) so it sits in a URL path unescaped.
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = now.AddDays(options.Value.OwnerLinkDays);
        db.OwnerLinks.Add(new OwnerLink { CaseId = caseId, CaseContactId = caseContactId, TokenHash = Hash(token), CreatedAt = now, ExpiresAt = expires });
        return ($"{options.Value.PublicBaseUrl!.TrimEnd('/')}/r/{token}", expires);
    }

    /// <summary>
    /// What <paramref name="token"/> opens. A token that is not the shape we make (length, alphabet) is unknown without
    /// a lookup; any other is looked up by its hash, so the comparison never touches the token itself (no timing
    /// oracle on the secret: an attacker learns only whether a guessed 256-bit value exists).
    /// </summary>
    public async Task<OwnerLinkCheck> CheckAsync(string? token, DateTimeOffset now, CancellationToken ct)
    {
        if (!IsWellFormed(token)) return new(OwnerLinkStatus.Unknown, null);
        var hash = Hash(token!);
        var link = await db.OwnerLinks.AsNoTracking().SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
        if (link is null) return new(OwnerLinkStatus.Unknown, null);
        // A future RevokedAt is a replaced link in its grace (CreateAsync).
        if (link.RevokedAt <= now) return new(OwnerLinkStatus.Revoked, link);
        return link.ExpiresAt <= now ? new(OwnerLinkStatus.Expired, link) : new(OwnerLinkStatus.Valid, link);
    }

    /// <summary>
    /// An operator takes back the case's live link <paramref name="linkId"/> (<see cref="CaseWorkflow.OwnerLinkRevoked"/>)
    /// and saves it. Null when the case has no such link; <see cref="OwnerLinkRevocation.NotLive"/> when it is expired or
    /// revoked already (nothing changes: a second click is no second event).
    /// </summary>
    public async Task<OwnerLinkRevocation?> RevokeAsync(int caseId, long linkId, string actor, DateTimeOffset now, CancellationToken ct)
    {
        OwnerLinkRevocation? outcome = null;
        await CasesApi.OperatorWinsAsync(db, async () =>
        {
            var link = await db.OwnerLinks.SingleOrDefaultAsync(l => l.Id == linkId && l.CaseId == caseId, ct);
            var c = link is null ? null : await db.Cases.SingleOrDefaultAsync(x => x.Id == caseId, ct);
            if (link is null || c is null)
            {
                outcome = null;
                return;
            }
            var address = await db.CaseContacts.Where(x => x.Id == link.CaseContactId).Select(x => x.Address).SingleAsync(ct);
            if (link.RevokedAt is not null || link.ExpiresAt <= now)
            {
                outcome = new OwnerLinkRevocation(link.Id, address, link.ExpiresAt, link.RevokedAt, Revoked: false);
                return;
            }
            CaseWorkflow.OwnerLinkRevoked(c, link, address, actor, now);
            // Taking the contact's link back takes back the replaced ones still in their grace too.
            var replaced = await db.OwnerLinks.Where(l => l.CaseId == caseId && l.CaseContactId == link.CaseContactId && l.Id != link.Id && l.RevokedAt != null).ToListAsync(ct);
            foreach (var l in replaced.Where(l => l.RevokedAt > now)) l.RevokedAt = now;
            await db.SaveChangesAsync(ct);
            outcome = new OwnerLinkRevocation(link.Id, address, link.ExpiresAt, now, Revoked: true);
        });
        return outcome;
    }

    /// <summary>The case's live links (not revoked, not expired) by contact, for the case page's revoke buttons.</summary>
    public async Task<IReadOnlyList<LiveOwnerLink>> LiveAsync(int caseId, DateTimeOffset now, CancellationToken ct)
    {
        var links = await db.OwnerLinks.AsNoTracking().Where(l => l.CaseId == caseId && l.RevokedAt == null)
            .Join(db.CaseContacts, l => l.CaseContactId, k => k.Id, (l, k) => new { l.Id, k.Address, l.CreatedAt, l.ExpiresAt })
            .ToListAsync(ct);
        // ExpiresAt compared here: SQLite cannot compare DateTimeOffset in a query.
        return links.Where(l => l.ExpiresAt > now).OrderBy(l => l.Address, StringComparer.Ordinal)
            .Select(l => new LiveOwnerLink(l.Id, l.Address, l.CreatedAt, l.ExpiresAt)).ToList();
    }

    /// <summary>43 characters of base64url: the 32 random bytes <see cref="CreateAsync"/> makes.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: 43 } && token.All(ch => ch is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    /// <summary>The stored form of a token: lowercase hex SHA-256 of its text.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
