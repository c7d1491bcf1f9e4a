namespace Notifier.Cases;

/// <summary>What <see cref="OwnerLinks.RevokeAsync"/> did with a link (the API's answer too).</summary>
/// <param name="RevokedAt">When it was taken back (now, or earlier when it was already); null when it had only expired.</param>
/// <param name="Revoked">Whether this request took it back; false when it was not live any more.</param>
public sealed record OwnerLinkRevocation(long LinkId, string Contact, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, bool Revoked)
{
    /// <summary>Expired or revoked before this request.</summary>
    public bool NotLive => !Revoked;
}

/// <summary>A contact's owner link that still opens the page: which one, to whom, and until when.</summary>
public sealed record LiveOwnerLink(long LinkId, string Contact, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
