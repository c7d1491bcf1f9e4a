namespace Notifier.Cases;

/// <summary>How a list of cases is ordered.</summary>
public enum CaseListOrder
{
    /// <summary>Newest case first (by id): stable while a client pages through (the API).</summary>
    NewestFirst,

    /// <summary>Cases needing attention first, then the most recently changed (the operators' queue page).</summary>
    AttentionThenRecentlyChanged,
}

/// <summary>Which cases a list shows (<see cref="CaseQueries.ListAsync"/>), as the API and the queue page ask for them.</summary>
public sealed record CaseListQuery
{
    /// <summary>Only cases in this state (a value of <see cref="CaseState.All"/>); null: see <see cref="OpenWhenNoState"/>.</summary>
    public string? InState { get; init; }

    /// <summary>Without a state, only cases that are not closed (the queue); otherwise every case (the API).</summary>
    public bool OpenWhenNoState { get; init; }

    /// <summary>A case reference (<c>NR-000123</c>) finds that case; other text an address prefix or a part of the source.</summary>
    public string? Search { get; init; }

    /// <summary>Whether <see cref="Search"/> also matches a part of the note (the API does; the queue's search box says address, reference or source).</summary>
    public bool SearchNotes { get; init; } = true;

    public CaseListOrder Order { get; init; } = CaseListOrder.NewestFirst;
}
