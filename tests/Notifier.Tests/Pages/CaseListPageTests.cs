using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>The case list (/cases) and GET /api/cases: the filters, the search, paging links, bulk actions and the CSV export.</summary>
public sealed partial class CaseListPageTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private static string Tag() => $"t{Guid.NewGuid():N}"[..12];

    /// <summary>The case ids GET /api/cases returns for <paramref name="query"/> (through the same filter reader as the page).</summary>
    private async Task<List<int>> ApiIdsAsync(string query)
    {
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);
        var page = await api.GetFromJsonAsync<JsonElement>($"/api/cases?pageSize=200&{query}");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).Order().ToList();
    }

    private static List<int> Ids(string html) =>
        CaseRow().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct().Order().ToList();

    [Fact]
    public async Task List_FiltersByState_WhenAStateIsGiven()
    {
        var tag = Tag();
        var confirmed = await CaseSeed.AddAsync(factory, source: tag, shape: c => c.State = CaseState.Confirmed);
        await CaseSeed.AddAsync(factory, source: tag);

        Assert.Equal([confirmed.Id], await ApiIdsAsync($"source={tag}&state=Confirmed"));
    }

    [Fact]
    public async Task List_FiltersBySource_WhenASourceIsGiven()
    {
        var tag = Tag();
        var mine = await CaseSeed.AddAsync(factory, source: tag);
        await CaseSeed.AddAsync(factory, source: tag + "-other");

        Assert.Equal([mine.Id], await ApiIdsAsync($"source={tag}"));
    }

    [Fact]
    public async Task List_FiltersByNetwork_WhenACidrIsGiven()
    {
        var tag = Tag();
        var inside = await CaseSeed.AddAsync(factory, "127.61.1.9", tag);
        var inside2 = await CaseSeed.AddAsync(factory, "127.61.1.200", tag);
        await CaseSeed.AddAsync(factory, "127.61.2.9", tag);
        await CaseSeed.AddAsync(factory, "127.61.0.255", tag);

        Assert.Equal([inside.Id, inside2.Id], await ApiIdsAsync($"source={tag}&network=127.61.1.0/24"));
        Assert.Equal(4, (await ApiIdsAsync($"source={tag}&network={Uri.EscapeDataString("127.61.0.0/22")}")).Count);
    }

    [Fact]
    public async Task List_FiltersByMta_WhenAnMtaIsGiven()
    {
        var tag = Tag();
        var postfix = await CaseSeed.AddAsync(factory, source: tag, shape: c => c.Mta = "Postfix");
        await CaseSeed.AddAsync(factory, source: tag, shape: c => c.Mta = "Exim");

        Assert.Equal([postfix.Id], await ApiIdsAsync($"source={tag}&mta=Postfix"));
    }

    [Fact]
    public async Task List_FiltersByAge_WhenWithinOrOlderIsGiven()
    {
        var tag = Tag();
        var recent = await CaseSeed.AddAsync(factory, source: tag, shape: c => c.CreatedAt = DateTimeOffset.UtcNow.AddDays(-1));
        var old = await CaseSeed.AddAsync(factory, source: tag, shape: c => c.CreatedAt = DateTimeOffset.UtcNow.AddDays(-10));

        Assert.Equal([recent.Id], await ApiIdsAsync($"source={tag}&within=5"));
        Assert.Equal([old.Id], await ApiIdsAsync($"source={tag}&older=5"));
    }

    [Fact]
    public async Task List_FiltersByAssignee_WhenANameMeOrNobodyIsGiven()
    {
        var tag = Tag();
        var (name, browser) = await factory.OperatorAsync();
        var mine = await CaseSeed.AddAsync(factory, source: tag, shape: c => c.AssignedTo = name);
        var nobody = await CaseSeed.AddAsync(factory, source: tag);

        var me = Ids(await browser.GetStringAsync($"/cases?source={tag}&assignee=me"));

        Assert.Equal([mine.Id], await ApiIdsAsync($"source={tag}&assignee={name}"));
        Assert.Equal([nobody.Id], await ApiIdsAsync($"source={tag}&assignee=nobody"));
        Assert.Equal([mine.Id], me);
    }

    [Fact]
    public async Task List_FiltersByQueueSection_WhenASectionIsGiven()
    {
        var tag = Tag();
        var drops = await CaseSeed.AddAsync(factory, source: tag, shape: c => c.State = CaseState.Unconfirmed);
        await CaseSeed.AddAsync(factory, source: tag, shape: c => c.State = CaseState.Confirmed);

        Assert.Equal([drops.Id], await ApiIdsAsync($"source={tag}&section=drops"));
    }

    [Fact]
    public async Task Search_FindsTheCase_ByAddressHostNameReferenceOrContact()
    {
        var tag = Tag();
        var byAddress = await CaseSeed.AddAsync(factory, "127.62.7.1", tag);
        var byHost = await CaseSeed.AddAsync(factory, source: tag, shape: c => c.HostName = $"mx.{tag}.example");
        var byContact = await CaseSeed.AddAsync(factory, source: tag, rows: (db, c) => db.CaseContacts.Add(CaseSeed.Contact(c, $"abuse@{tag}-isp.example")));
        var (_, client) = await factory.OperatorAsync();

        Assert.Equal([byAddress.Id], Ids(await client.GetStringAsync($"/cases?source={tag}&q=127.62.7.")));
        Assert.Equal([byHost.Id], Ids(await client.GetStringAsync($"/cases?source={tag}&q=MX.{tag}")));
        Assert.Equal([byContact.Id], Ids(await client.GetStringAsync($"/cases?source={tag}&q={tag}-isp")));
        Assert.Equal([byHost.Id], Ids(await client.GetStringAsync($"/cases?q={byHost.Reference}")));
    }

    [Fact]
    public async Task Search_ByTheStartOfAnAddress_FindsTheCasesOnThoseAddresses_CountedOverEveryPage()
    {
        var tag = Tag();
        var onPrefix = new List<int>();
        foreach (var address in new[] { "127.63.1.9", "127.63.20.9", "127.63.200.9" }) onPrefix.Add((await CaseSeed.AddAsync(factory, address, tag)).Id);
        await CaseSeed.AddAsync(factory, "127.64.1.9", tag);
        await CaseSeed.AddAsync(factory, source: tag, shape: c => c.Note = "seen next to 127.63.1.9");
        var v6 = await CaseSeed.AddAsync(factory, "2001:db8:63::25", tag);
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var first = await api.GetFromJsonAsync<JsonElement>($"/api/cases?source={tag}&q=127.63.&pageSize=2");
        var second = await api.GetFromJsonAsync<JsonElement>($"/api/cases?source={tag}&q=127.63.&pageSize=2&page=2");
        var all = await api.GetFromJsonAsync<JsonElement>($"/api/cases?source={tag}&q=127.63.");

        static List<int> Items(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(onPrefix.OrderDescending(), Items(first).Concat(Items(second)));
        Assert.Equal([3, 3, 3], new[] { first, second, all }.Select(p => p.GetProperty("total").GetInt32()));
        Assert.Equal([v6.Id], await ApiIdsAsync($"source={tag}&q=2001:DB8:63:"));
        Assert.Equal([onPrefix[0]], await ApiIdsAsync($"source={tag}&q=127.63.1.9"));
    }

    [Fact]
    public async Task List_PageLinksKeepEveryFilterEncoded_WhenValuesHoldPlusSlashSpaceAndAmpersand()
    {
        var source = $"feed+{Tag()}/a b&c";
        for (var i = 0; i < Notifier.Pages.Cases.IndexModel.PageSize + 1; i++) await CaseSeed.AddAsync(factory, source: source);
        var (_, client) = await factory.OperatorAsync();
        var query = "/cases?source=" + Uri.EscapeDataString(source) + "&q=" + Uri.EscapeDataString("127.") + "&within=3";

        var first = await client.GetStringAsync(query);
        var next = WebUtility.HtmlDecode(NextLink().Match(first).Groups[1].Value);
        var second = await client.GetStringAsync(next);

        Assert.Equal(Notifier.Pages.Cases.IndexModel.PageSize, Ids(first).Count);
        Assert.Contains("source=" + Uri.EscapeDataString(source), next);
        Assert.Contains("within=3", next);
        Assert.Contains("p=2", next);
        Assert.Single(Ids(second));
        Assert.Empty(Ids(second).Intersect(Ids(first)));
    }

    [Theory]
    [InlineData("network=10.20.1.0/16", "network: has host bits set")]
    [InlineData("network=10.20.1.0", "network: must be a CIDR")]
    [InlineData("state=Sleeping", "state: must be one of")]
    [InlineData("within=ten", "within: must be a whole number of days")]
    [InlineData("section=everything", "section: must be one of")]
    public async Task List_400WithTheFieldsError_WhenAFilterIsBad(string query, string error)
    {
        var (_, client) = await factory.OperatorAsync();
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var page = await client.GetAsync($"/cases?{query}");
        var csv = await client.GetAsync($"/cases?handler=Csv&{query}");
        var apiResponse = await api.GetAsync($"/api/cases?{query}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Contains(error, WebUtility.HtmlDecode(html));
        Assert.Empty(Ids(html));
        Assert.Equal(HttpStatusCode.BadRequest, csv.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, apiResponse.StatusCode);
        Assert.Contains(error.Split(':')[0], await apiResponse.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BulkApprove_ApprovesAndRefusesPerCase_WhenOneCaseHasNoNoticeWaiting()
    {
        var waiting = await CaseSeed.AddAsync(factory, shape: c => c.State = CaseState.Notifying,
            rows: (db, c) => db.Notices.Add(CaseSeed.Notice(c, NoticeState.AwaitingApproval)));
        var none = await CaseSeed.AddAsync(factory, shape: c => c.State = CaseState.Confirmed);
        var (_, client) = await factory.OperatorAsync();

        var html = await PostBulkAsync(client, "Approve", [waiting.Id, none.Id]);
        var state = await CaseSeed.ReadAsync(factory, db => db.Notices.Where(n => n.CaseId == waiting.Id).Select(n => n.State).SingleAsync());

        Assert.Equal(NoticeState.Queued, state);
        Assert.Matches($"<tr data-case-id=\"{waiting.Id}\" class=\"done\">", html);
        Assert.Matches($"<tr data-case-id=\"{none.Id}\" class=\"refused\">", html);
        Assert.Contains("no notice awaiting approval", html);
    }

    [Fact]
    public async Task BulkRetest_AsksForARetestAndRefusesAClosedCase_WhenBothAreSelected()
    {
        var notified = await CaseSeed.AddAsync(factory, shape: c => { c.State = CaseState.Monitoring; c.FirstNoticeAt = DateTimeOffset.UtcNow.AddDays(-3); });
        var closed = await CaseSeed.AddAsync(factory, shape: c => { c.State = CaseState.Closed; c.OpenRelayKey = null; });
        var (_, client) = await factory.OperatorAsync();

        var html = await PostBulkAsync(client, "Retest", [notified.Id, closed.Id]);
        var next = await CaseSeed.ReadAsync(factory, db => db.Cases.Where(c => c.Id == notified.Id).Select(c => c.NextAction).SingleAsync());

        Assert.Equal(CaseAction.Retest, next);
        Assert.Matches($"<tr data-case-id=\"{notified.Id}\" class=\"done\">", html);
        Assert.Matches($"<tr data-case-id=\"{closed.Id}\" class=\"refused\">", html);
        Assert.Contains("the case is closed", html);
    }

    [Fact]
    public async Task BulkClose_ClosesEveryCaseWithTheReason_AndRefusesAnUnknownReason()
    {
        var a = await CaseSeed.AddAsync(factory);
        var b = await CaseSeed.AddAsync(factory);
        var (_, client) = await factory.OperatorAsync();

        var bad = await PostBulkResponseAsync(client, "Close", [a.Id], new() { ["closeReason"] = "bored" });
        var html = await PostBulkAsync(client, "Close", [a.Id, b.Id], new() { ["closeReason"] = CloseReason.Duplicate, ["note"] = "same as NR-000001" });
        var reasons = await CaseSeed.ReadAsync(factory, db => db.Cases.Where(c => c.Id == a.Id || c.Id == b.Id).Select(c => c.ClosedReason).ToListAsync());

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("reason: must be one of", await bad.Content.ReadAsStringAsync());
        Assert.Equal([CloseReason.Duplicate, CloseReason.Duplicate], reasons);
        Assert.Contains("closed (duplicate)", html);
    }

    [Fact]
    public async Task BulkAssign_AssignsToAnEnabledOperator_AndRefusesAnUnknownName()
    {
        var c = await CaseSeed.AddAsync(factory);
        var (name, _) = await DashboardSession.AddOperatorAsync(factory);
        var (_, client) = await factory.OperatorAsync();

        var refused = await PostBulkAsync(client, "Assign", [c.Id], new() { ["assignee"] = "nobody-like-this" });
        var before = await CaseSeed.ReadAsync(factory, db => db.Cases.Where(x => x.Id == c.Id).Select(x => x.AssignedTo).SingleAsync());
        var done = await PostBulkAsync(client, "Assign", [c.Id], new() { ["assignee"] = name });
        var after = await CaseSeed.ReadAsync(factory, db => db.Cases.Where(x => x.Id == c.Id).Select(x => x.AssignedTo).SingleAsync());

        Assert.Contains("nobody-like-this is no enabled operator", refused);
        Assert.Null(before);
        Assert.Contains($"assigned to {name}", done);
        Assert.Equal(name, after);
    }

    [Fact]
    public async Task Csv_ExportsEveryCaseOfTheFilter_WithFormulaCellsEscaped()
    {
        var tag = Tag();
        var hostile = await CaseSeed.AddAsync(factory, source: tag, shape: c => { c.HostName = "=cmd|' /C calc'!A0"; c.Mta = "Postfix"; c.AssignedTo = "+alice"; },
            rows: (db, c) => db.CaseContacts.Add(CaseSeed.Contact(c, "@abuse@example.net")));
        for (var i = 0; i < Notifier.Pages.Cases.IndexModel.PageSize; i++) await CaseSeed.AddAsync(factory, source: tag);
        await CaseSeed.AddAsync(factory, source: tag + "-not");
        var (_, client) = await factory.OperatorAsync();

        var r = await client.GetAsync($"/cases?handler=Export&of=cases&format=csv&source={tag}");
        var lines = (await r.Content.ReadAsStringAsync()).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);
        var row = lines.Single(l => l.StartsWith(hostile.Reference + ",", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/csv", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(string.Join(',', CaseExport.CaseHeader), lines[0]);
        Assert.Equal(Notifier.Pages.Cases.IndexModel.PageSize + 2, lines.Length);
        Assert.Contains($"{hostile.Address},25,New,{tag},", row);
        Assert.Contains("'=cmd", row);
        Assert.Contains("'+alice", row);
        Assert.Contains("'@abuse@example.net (active)", row);
        Assert.Contains(",Postfix,", row);
        Assert.DoesNotContain(",=", row);
    }

    private static async Task<HttpResponseMessage> PostBulkResponseAsync(HttpClient client, string handler, int[] ids, Dictionary<string, string>? extra = null)
    {
        var page = await client.GetStringAsync("/cases");
        var form = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", DashboardSession.Token(page)) };
        form.AddRange(ids.Select(id => KeyValuePair.Create("ids", id.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        if (extra is not null) form.AddRange(extra);
        return await client.PostAsync($"/cases?handler={handler}", new FormUrlEncodedContent(form));
    }

    private static async Task<string> PostBulkAsync(HttpClient client, string handler, int[] ids, Dictionary<string, string>? extra = null)
    {
        var r = await PostBulkResponseAsync(client, handler, ids, extra);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        var result = Regex.Match(html, "<section id=\"bulk-result\".*?</section>", RegexOptions.Singleline);
        Assert.True(result.Success, "no bulk result on the page");
        return WebUtility.HtmlDecode(result.Value);
    }

    [GeneratedRegex("<tr data-case-id=\"(\\d+)\"")]
    private static partial Regex CaseRow();

    [GeneratedRegex("<a href=\"([^\"]+)\" rel=\"next\">")]
    private static partial Regex NextLink();
}
