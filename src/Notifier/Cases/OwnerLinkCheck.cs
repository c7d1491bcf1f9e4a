namespace Notifier.Cases;

/// <summary>What a token in an owner page URL turned out to be.</summary>
public enum OwnerLinkStatus
{
    /// <summary>A live link: the page opens.</summary>
    Valid,

    /// <summary>Past its <see cref="OwnerLink.ExpiresAt"/>.</summary>
    Expired,

    /// <summary>Taken back by an operator, or replaced by the link of a newer notice to the same contact.</summary>
    Revoked,

    /// <summary>No such token (mistyped, truncated by a mail client, forged): nothing about any case is shown.</summary>
    Unknown,
}

/// <summary>The token's status and, unless <see cref="OwnerLinkStatus.Unknown"/>, its stored link.</summary>
public sealed record OwnerLinkCheck(OwnerLinkStatus Status, OwnerLink? Link)
{
    public bool IsValid => Status == OwnerLinkStatus.Valid;
}
