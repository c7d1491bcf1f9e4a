namespace Notifier.Contacts;

/// <summary>The operator's and the mail system's say in ranking: plain records the DB layer loads.</summary>
public sealed record ContactPolicy(
    IReadOnlyList<ManualContact> Manual,
    IReadOnlyList<ContactSuppression> Suppressions,
    IReadOnlyList<BouncedContact> Bounces)
{
    public static ContactPolicy None { get; } = new([], [], []);
}
