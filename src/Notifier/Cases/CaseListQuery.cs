using System.Net;

namespace Notifier.Cases;

/// <summary>How a list of cases is ordered.</summary>
public enum CaseListOrder
{
    /// <summary>Newest case first (by id): stable while a client pages through (the API, the CSV export).</summary>
    NewestFirst,

    /// <summary>Cases needing attention first, then the most recently changed (the operators' case list).</summary>
    AttentionThenRecentlyChanged,
}

/// <summary>
/// Which cases a list shows (<see cref="CaseQueries.Filter"/>): the case list page, its CSV export and
/// <c>GET /api/cases</c> all ask through this record, read from the same query string by <see cref="CaseListFilter"/>.
/// </summary>
public sealed record CaseListQuery
{
    /// <summary>Only cases in this state (a value of <see cref="CaseState.All"/>); null: see <see cref="OpenWhenNoState"/>.</summary>
    public string? InState { get; init; }

    /// <summary>Without a state, only cases that are not closed (the case list page); otherwise every case (the API).</summary>
    public bool OpenWhenNoState { get; init; }

    /// <summary>
    /// A case reference (<c>NR-000123</c>) finds that case; the start of an address (<c>127.1.200.</c>, <c>2001:db8:</c>)
    /// the cases on the addresses that start so; other text a part of the host name, of a contact address, of the
    /// source or of the note.
    /// </summary>
    public string? Search { get; init; }

    /// <summary>Only cases first reported by this source (exactly as stored).</summary>
    public string? Source { get; init; }

    /// <summary>Only cases whose address is inside this network.</summary>
    public IPNetwork? Network { get; init; }

    /// <summary>Only cases whose latest fingerprinted MTA is this one (<see cref="Case.Mta"/>, exactly as named).</summary>
    public string? Mta { get; init; }

    /// <summary>Only cases opened within this many days.</summary>
    public int? OpenedWithinDays { get; init; }

    /// <summary>Only cases opened longer ago than this many days.</summary>
    public int? OpenedBeforeDays { get; init; }

    /// <summary>Only cases assigned to this operator (user name); see <see cref="Unassigned"/>.</summary>
    public string? AssignedTo { get; init; }

    /// <summary>Only cases assigned to nobody.</summary>
    public bool Unassigned { get; init; }

    /// <summary>Only the cases of this queue section (what the queue's "see all" link asks for).</summary>
    public CaseQueueSection? Section { get; init; }

    public CaseListOrder Order { get; init; } = CaseListOrder.NewestFirst;

    /// <summary>
    /// Whether the list selects by state alone (or nothing): most cases match, so the first page is best read by
    /// walking an index in list order; any other filter may match only a few (see <see cref="CaseQueries.Ordered"/>).
    /// </summary>
    public bool ByStateAlone => string.IsNullOrWhiteSpace(Search) && Source is null && Network is null && Mta is null
        && OpenedWithinDays is null && OpenedBeforeDays is null && AssignedTo is null && !Unassigned && Section is null;
}
