namespace Notifier.Cases;

/// <summary>
/// The owner's self-service link for one case and one contact (<c>/r/&lt;token&gt;</c>). Only the SHA-256 of the
/// token is stored: the token is 256 random bits, so a plain hash cannot be reversed by guessing (no salt or slow
/// hash needed, unlike a password), and a copy of the database opens no owner page.
/// </summary>
public sealed class OwnerLink
{
    public long Id { get; set; }

    public int CaseId { get; set; }

    public long CaseContactId { get; set; }

    /// <summary>Lowercase hex SHA-256 of the token.</summary>
    public required string TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>
    /// When the link stops working: set to the moment an operator takes it back, or to an hour after a newer notice's
    /// link replaced it (<see cref="OwnerLinks.ReplacedLinkGrace"/>).
    /// </summary>
    public DateTimeOffset? RevokedAt { get; set; }
}
