using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Notifier.Cases;

namespace Notifier.Tests.Cases;

/// <summary>The one reader of the case list's filters (page, CSV, API): values as typed, errors by field.</summary>
public sealed class CaseListFilterTests
{
    private static CaseListFilter From(params (string Key, string Value)[] values) =>
        CaseListFilter.From(new QueryCollection(values.ToDictionary(v => v.Key, v => new StringValues(v.Value))));

    [Fact]
    public void Read_ResolvesMeAndNobody_WhenGivenAsAssignee()
    {
        var (me, _) = From(("assignee", "me")).Read("alice", openWhenNoState: true, CaseListOrder.NewestFirst);
        var (nobody, _) = From(("assignee", "nobody")).Read("alice", openWhenNoState: true, CaseListOrder.NewestFirst);
        var (named, _) = From(("assignee", "bob")).Read("alice", openWhenNoState: true, CaseListOrder.NewestFirst);

        Assert.Equal("alice", me!.AssignedTo);
        Assert.True(nobody!.Unassigned);
        Assert.Null(nobody.AssignedTo);
        Assert.Equal("bob", named!.AssignedTo);
    }

    [Fact]
    public void Read_GivesEveryBadFieldsError_AndNoQuery_WhenSeveralAreBad()
    {
        var (query, errors) = From(("state", "open"), ("network", "10.1/16"), ("older", "0"), ("section", "x"))
            .Read("alice", openWhenNoState: true, CaseListOrder.NewestFirst);

        Assert.Null(query);
        Assert.Equal(["network", "older", "section", "state"], errors.Keys.Order());
    }

    [Fact]
    public void Values_KeepsOnlyTheSetFilters_WhenSomeAreBlank()
    {
        var filter = From(("source", " feed+a/b c&d "), ("mta", ""), ("q", "NR-000001"));

        Assert.Equal([KeyValuePair.Create("source", "feed+a/b c&d"), KeyValuePair.Create("q", "NR-000001")], filter.Values());
    }
}
