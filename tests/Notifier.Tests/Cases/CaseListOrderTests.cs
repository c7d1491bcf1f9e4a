using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>
/// The operators' case list order (needing attention first, then the most recently changed): the same cases in the
/// same order whether the list reads its page from the (NeedsAttention, UpdatedAt) index (every open case) or sorts
/// the matches of a narrow filter; and on SQLite the list of every open case really is read from that index, while
/// a word search is not (walking the index for it looked up every case's row, issue 17).
/// </summary>
public sealed class CaseListOrderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task List_IsInTheSameOrder_WhetherItWalksTheIndexOrSortsTheMatches(string provider)
    {
        await using var database = await MigratedDatabase.CreateAsync(provider, "notifier-list-order-");
        await using (var db = database.Context())
        {
            // Changed at hours 3, 1, 4, 1 (a tie, broken by the id), 5, 2; the second and the fifth need attention;
            // the last is closed.
            int[] hours = [3, 1, 4, 1, 5, 2];
            for (var i = 0; i < hours.Length; i++)
            {
                var address = $"192.0.2.{80 + i}";
                var c = CaseWorkflow.Open(address, 25, address + ":25", "order-test", null, "test", T0);
                c.UpdatedAt = T0 + TimeSpan.FromHours(hours[i]);
                c.NeedsAttention = i is 1 or 4;
                if (i == 5) c.State = CaseState.Closed;
                db.Cases.Add(c);
                await db.SaveChangesAsync();
            }
        }
        await using var read = database.Context();
        var ids = await read.Cases.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync();
        var everyOpen = new CaseListQuery { OpenWhenNoState = true, Order = CaseListOrder.AttentionThenRecentlyChanged };
        var bySource = everyOpen with { Source = "order-test" };

        var walked = await ListAsync(read, everyOpen);
        var sorted = await ListAsync(read, bySource);

        Assert.True(everyOpen.ByStateAlone);
        Assert.False(bySource.ByStateAlone);
        int[] expected = [ids[4], ids[1], ids[2], ids[0], ids[3]];
        Assert.Equal(expected, walked);
        Assert.Equal(expected, sorted);
    }

    [Fact]
    public async Task EveryOpenCase_IsReadFromTheListOrderIndex_AndAWordSearchIsNot_OnSqlite()
    {
        await using var database = await MigratedDatabase.CreateAsync(DatabaseProvider.Sqlite, "notifier-list-plan-");
        await using var db = database.Context();
        var everyOpen = new CaseListQuery { OpenWhenNoState = true, Order = CaseListOrder.AttentionThenRecentlyChanged };

        var listPlan = await PlanAsync(db, everyOpen);
        var searchPlan = await PlanAsync(db, everyOpen with { Search = "net4711.example" });

        Assert.Contains("IX_Cases_NeedsAttention_UpdatedAt", listPlan);
        Assert.DoesNotContain("TEMP B-TREE", listPlan);
        Assert.DoesNotContain("IX_Cases_NeedsAttention_UpdatedAt", searchPlan);
    }

    private static async Task<List<int>> ListAsync(NotifierDb db, CaseListQuery query) =>
        (await CaseQueries.ListAsync(db, query, T0 + TimeSpan.FromDays(1), new RetestOptions(), 1, 50, CancellationToken.None)).Items.Select(c => c.Id).ToList();

    /// <summary>SQLite's plan for the first page of <paramref name="query"/> (EXPLAIN QUERY PLAN of the SQL EF Core sends).</summary>
    private static async Task<string> PlanAsync(NotifierDb db, CaseListQuery query)
    {
        var page = CaseQueries.Ordered(CaseQueries.Filter(db, query, T0, new RetestOptions()), query.Order, query.ByStateAlone).Take(50);
        var sql = page.ToQueryString();
        // ToQueryString declares the parameters as ".param set" lines; inline them for EXPLAIN.
        var lines = sql.Split('\n');
        var body = string.Join('\n', lines.Where(l => !l.StartsWith(".param", StringComparison.Ordinal)));
        foreach (var line in lines.Where(l => l.StartsWith(".param set ", StringComparison.Ordinal)))
        {
            var parts = line[".param set ".Length..].Trim().Split(' ', 2);
            body = body.Replace(parts[0], parts[1], StringComparison.Ordinal);
        }
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + body;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.Add(reader.GetString(3));
        return string.Join('\n', plan);
    }
}
