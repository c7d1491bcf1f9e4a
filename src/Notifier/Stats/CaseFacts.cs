namespace Notifier.Stats;

/// <summary>
/// What the statistics need to know of one case, as a projection the database computes (correlated subqueries over
/// indexed columns) and the sections group and count. A class with init properties, not a record with a
/// constructor: EF can compose further queries (GroupBy, Count) only over a member-initialised projection.
/// </summary>
internal sealed class CaseFacts
{
    public string Address { get; init; } = "";

    /// <summary>The RDAP network handle, or <c>unknown</c>.</summary>
    public string Network { get; init; } = "";

    /// <summary>The MTA the proving probe (the latest finished initial probe) saw, or <c>unknown</c>.</summary>
    public string Mta { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The first notice sent or carried; null: never notified.</summary>
    public DateTimeOffset? FirstNoticeAt { get; init; }

    /// <summary>The first state change to Resolved; null: never resolved.</summary>
    public DateTimeOffset? FirstResolvedAt { get; init; }

    /// <summary>At least one person's reply was threaded to the case.</summary>
    public bool Replied { get; init; }

    /// <summary>At least one state change to Reopened.</summary>
    public bool Reopened { get; init; }
}
