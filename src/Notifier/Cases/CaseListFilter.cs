using System.Globalization;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// The case list's filters as typed in a query string, the one reader of them for the case list page, its CSV export
/// and <c>GET /api/cases</c>. A bad value (an unknown state, a network with host bits set, "ten" days) is an error
/// naming the field, never silently ignored: an ignored filter would show every case as if it matched.
/// </summary>
public sealed record CaseListFilter
{
    /// <summary>The query string names, in the order the page lists them.</summary>
    public const string StateName = "state", SourceName = "source", NetworkName = "network", MtaName = "mta",
        WithinName = "within", OlderName = "older", AssigneeName = "assignee", SearchName = "q", SectionName = "section";

    /// <summary>What <see cref="Assignee"/> says for the signed-in user's own cases, and for cases assigned to nobody.</summary>
    public const string Me = "me", Nobody = "nobody";

    /// <summary>The longest age filter: a hundred years of days.</summary>
    public const int MaxDays = 36_500;

    public string? State { get; init; }
    public string? Source { get; init; }
    public string? Network { get; init; }
    public string? Mta { get; init; }
    public string? Within { get; init; }
    public string? Older { get; init; }
    public string? Assignee { get; init; }
    public string? Search { get; init; }
    public string? Section { get; init; }

    /// <summary>Reads the filters from a query string (<c>?state=…&amp;network=…</c>).</summary>
    public static CaseListFilter From(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? Get(string name) => query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;
        return new CaseListFilter
        {
            State = Get(StateName),
            Source = Get(SourceName),
            Network = Get(NetworkName),
            Mta = Get(MtaName),
            Within = Get(WithinName),
            Older = Get(OlderName),
            Assignee = Get(AssigneeName),
            Search = Get(SearchName),
            Section = Get(SectionName),
        };
    }

    /// <summary>Only the state filter (the <c>export</c> verb's <c>--state</c>), read like the query string's.</summary>
    public static CaseListFilter OfState(string? state) => new() { State = state };

    /// <summary>The filters that are set, by query string name: what a page link or the CSV link carries on.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values()
    {
        var all = new (string Name, string? Value)[]
        {
            (StateName, State), (SourceName, Source), (NetworkName, Network), (MtaName, Mta), (WithinName, Within),
            (OlderName, Older), (AssigneeName, Assignee), (SearchName, Search), (SectionName, Section),
        };
        return all.Where(x => x.Value is not null).Select(x => KeyValuePair.Create(x.Name, x.Value!)).ToList();
    }

    /// <summary>
    /// The query these filters ask for, or the errors by field name. <paramref name="me"/> is the signed-in user's
    /// name (what <c>assignee=me</c> means); <paramref name="openWhenNoState"/> and <paramref name="order"/> are the caller's.
    /// </summary>
    public (CaseListQuery? Query, IReadOnlyDictionary<string, string> Errors) Read(string? me, bool openWhenNoState, CaseListOrder order)
    {
        var errors = new Dictionary<string, string>();
        if (State is not null && !CaseState.All.Contains(State, StringComparer.Ordinal))
            errors[StateName] = $"must be one of {string.Join(", ", CaseState.All)}";
        System.Net.IPNetwork? network = null;
        if (Network is not null)
        {
            if (IpNetworkText.TryParse(Network, singleAddress: false, out var n, out var problem)) network = n;
            else errors[NetworkName] = problem;
        }
        var within = Days(WithinName, Within, errors);
        var older = Days(OlderName, Older, errors);
        CaseQueueSection? section = null;
        if (Section is not null && (section = CaseQueueSection.Find(Section)) is null)
            errors[SectionName] = $"must be one of {string.Join(", ", CaseQueueSection.All.Select(s => s.Id))}";
        string? assignedTo = null;
        var unassigned = false;
        if (Assignee == Nobody) unassigned = true;
        else if (Assignee == Me)
        {
            if (string.IsNullOrEmpty(me)) errors[AssigneeName] = "\"me\" needs a signed-in user";
            else assignedTo = me;
        }
        else assignedTo = Assignee;
        foreach (var (name, value, max) in new[] { (SourceName, Source, 200), (MtaName, Mta, 50), (AssigneeName, Assignee, 100), (SearchName, Search, 320) })
        {
            if (value is not null && value.Length > max) errors[name] = $"must be at most {max} characters";
        }
        if (errors.Count > 0) return (null, errors);
        return (new CaseListQuery
        {
            InState = State,
            OpenWhenNoState = openWhenNoState,
            Search = Search,
            Source = Source,
            Network = network,
            Mta = Mta,
            OpenedWithinDays = within,
            OpenedBeforeDays = older,
            AssignedTo = assignedTo,
            Unassigned = unassigned,
            Section = section,
            Order = order,
        }, errors);
    }

    private static int? Days(string name, string? text, Dictionary<string, string> errors)
    {
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days is >= 1 and <= MaxDays) return days;
        errors[name] = $"must be a whole number of days from 1 to {MaxDays}";
        return null;
    }
}
