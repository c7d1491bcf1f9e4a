namespace Notifier.Cases;

/// <summary>Why a case was closed (<see cref="Case.ClosedReason"/>), stored as these words: the closing operator picks one.</summary>
public static class CloseReason
{
    /// <summary>It is not an open relay after all (an operator judged the evidence, e.g. an accepts-but-drops).</summary>
    public const string FalsePositive = "false-positive";

    /// <summary>Another case covers the same relay or the same owner's report.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The owner disputes the report, and the desk does not pursue it.</summary>
    public const string OwnerDisputes = "owner-disputes";

    /// <summary>The address is outside the desk's constituency.</summary>
    public const string NotOurs = "not-ours";

    /// <summary>The relay was fixed and the desk is done with it (a resolved case closed for good).</summary>
    public const string Fixed = "fixed";

    /// <summary>Set by Notifier itself: the target cannot be probed (refused by configuration).</summary>
    public const string CannotProbe = "cannot-probe";

    /// <summary>Anything else; the note says what.</summary>
    public const string Other = "other";

    /// <summary>The reasons an operator may give (<see cref="CannotProbe"/> is Notifier's own).</summary>
    public static readonly IReadOnlyList<string> ForOperators = [FalsePositive, Duplicate, OwnerDisputes, NotOurs, Fixed, Other];

    public static readonly IReadOnlyList<string> All = [.. ForOperators, CannotProbe];
}
