using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsvHelper;
using Notifier.Auth;
using Notifier.Cases;
using Notifier.Cli;
using Notifier.Data;
using Notifier.Tests.Hosting;
using Notifier.Tests.Pages;

namespace Notifier.Tests.Cases;

/// <summary>
/// The export for CERTs and upstreams (<c>GET /api/export/…</c>, the <c>export</c> verb, the case list's links):
/// the CSV parses back to what was stored, formula cells are defused, the filters select, JSON carries the API's DTOs.
/// </summary>
public sealed class CaseExportTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private static readonly DateTimeOffset Reported = new(2026, 11, 10, 8, 0, 0, TimeSpan.Zero);

    private static string Tag() => $"x{Guid.NewGuid():N}"[..12];

    /// <summary>The rows by column name, read by a strict RFC 4180 reader (a malformed record throws).</summary>
    private static List<Dictionary<string, string>> ParseCsv(string text)
    {
        using var reader = CsvReader.Create(new ReadOnlyMemory<byte>(System.Text.Encoding.UTF8.GetBytes(text)),
            new CsvReaderOptions { HasHeader = true, AllowLineBreaksInQuotes = true, MalformedData = CsvMalformedDataHandling.Throw });
        reader.ReadHeader();
        var headers = reader.Headers.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (reader.Read())
        {
            Assert.Equal(headers.Count, reader.FieldCount);
            rows.Add(headers.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => reader.GetString(x.i)));
        }
        return rows;
    }

    /// <summary>A case an upstream would get: probed twice (accepted, then confirmed), two notices sent, one failed, two contacts.</summary>
    private Task<Case> RelayAsync(string tag, string state = CaseState.Confirmed, DateTimeOffset? updated = null, string? hostName = "mx.example.net",
        string contact = "abuse@example.net") =>
        CaseSeed.AddAsync(factory, source: tag, shape: c =>
        {
            c.State = state;
            c.HostName = hostName;
            c.Mta = "Postfix";
            c.CreatedAt = Reported;
            c.UpdatedAt = updated ?? Reported.AddDays(2);
            // What the verdict transitions keep on the case (the second probe's verdict below).
            c.LastVerdict = "confirmed";
        }, rows: (db, c) =>
        {
            db.Probes.Add(new Probe { CaseId = c.Id, Key = Guid.NewGuid().ToString("N"), Status = "done", Verdict = "data-accepted", QueuedAt = Reported, FinishedAt = Reported.AddMinutes(1) });
            db.Probes.Add(new Probe { CaseId = c.Id, Key = Guid.NewGuid().ToString("N"), Status = "done", Verdict = "confirmed", QueuedAt = Reported.AddDays(1), FinishedAt = Reported.AddDays(1).AddMinutes(3) });
            db.Probes.Add(new Probe { CaseId = c.Id, Key = Guid.NewGuid().ToString("N"), QueuedAt = Reported.AddDays(2) });
            db.Notices.Add(CaseSeed.Notice(c, NoticeState.Sent, sentAt: Reported.AddHours(2)));
            db.Notices.Add(CaseSeed.Notice(c, NoticeState.Sent, kind: "Reminder", sentAt: Reported.AddDays(1)));
            db.Notices.Add(CaseSeed.Notice(c, NoticeState.Failed));
            db.CaseContacts.Add(CaseSeed.Contact(c, contact));
            var second = CaseSeed.Contact(c, "noc@example.net");
            second.Rank = 2;
            db.CaseContacts.Add(second);
        });

    [Fact]
    public async Task ExportCases_CsvParsesBackToTheCase_WithVerdictsNoticesAndContacts()
    {
        var tag = Tag();
        var c = await RelayAsync(tag);
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var r = await api.GetAsync($"/api/export/cases?source={tag}");
        var text = await r.Content.ReadAsStringAsync();
        var row = Assert.Single(ParseCsv(text));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("text/csv", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal("cases.csv", r.Content.Headers.ContentDisposition?.FileNameStar ?? r.Content.Headers.ContentDisposition?.FileName);
        Assert.StartsWith(string.Join(',', CaseExport.CaseHeader) + "\r\n", text, StringComparison.Ordinal);
        Assert.Equal(c.Reference, row["reference"]);
        Assert.Equal(c.Address, row["address"]);
        Assert.Equal("25", row["port"]);
        Assert.Equal(CaseState.Confirmed, row["state"]);
        Assert.Equal("mx.example.net", row["host name"]);
        Assert.Equal("2026-11-10T08:00:00Z", row["created"]);
        Assert.Equal("data-accepted", row["first verdict"]);
        Assert.Equal("2026-11-10T08:01:00Z", row["first verdict at"]);
        Assert.Equal("confirmed", row["last verdict"]);
        Assert.Equal("2026-11-11T08:03:00Z", row["last verdict at"]);
        Assert.Equal("2", row["notices sent"]);
        Assert.Equal("2026-11-11T08:00:00Z", row["last notice at"]);
        Assert.Equal("abuse@example.net (active) noc@example.net (active)", row["contacts"]);
    }

    [Fact]
    public async Task ExportCases_QuotesAndDefusesCells_ThatASpreadsheetWouldRunOrSplit()
    {
        var tag = Tag();
        await RelayAsync(tag, hostName: "=HYPERLINK(\"http://x\")", contact: "-2+3@example.net");
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var text = await api.GetStringAsync($"/api/export/cases?source={tag}");
        var row = Assert.Single(ParseCsv(text));

        // The quote prefix (OWASP's CSV injection advice) makes the cell text; the quotes inside survive RFC 4180 quoting.
        Assert.Equal("'=HYPERLINK(\"http://x\")", row["host name"]);
        Assert.StartsWith("'-2+3@example.net (active)", row["contacts"], StringComparison.Ordinal);
        Assert.DoesNotContain(",=", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",-2", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportCases_KeepsOnlyTheStateAndTheCasesChangedSince_WhenBothAreGiven()
    {
        var tag = Tag();
        var wanted = await RelayAsync(tag, updated: new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));
        await RelayAsync(tag, state: CaseState.Suspected, updated: new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));
        await RelayAsync(tag, updated: new DateTimeOffset(2026, 10, 31, 23, 59, 59, TimeSpan.Zero));
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var filtered = ParseCsv(await api.GetStringAsync($"/api/export/cases?source={tag}&state=Confirmed&since=2026-11-01"));
        var all = ParseCsv(await api.GetStringAsync($"/api/export/cases?source={tag}"));

        Assert.Equal([wanted.Reference], filtered.Select(r => r["reference"]));
        Assert.Equal(3, all.Count);
    }

    [Fact]
    public async Task ExportContacts_JsonListsEachContactWithItsCase_AsTheApiShowsContacts()
    {
        var tag = Tag();
        var c = await RelayAsync(tag);
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var r = await api.GetAsync($"/api/export/contacts?source={tag}&format=json");
        var rows = (await r.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();

        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["abuse@example.net", "noc@example.net"], rows.Select(x => x.GetProperty("contact").GetProperty("address").GetString()));
        Assert.All(rows, x => Assert.Equal(c.Reference, x.GetProperty("reference").GetString()));
        Assert.Equal(1, rows[0].GetProperty("contact").GetProperty("rank").GetInt32());
        Assert.Equal("rdap", rows[0].GetProperty("contact").GetProperty("source").GetString());
    }

    [Fact]
    public async Task ExportCases_JsonCarriesTheCaseSummaryAndVerdicts()
    {
        var tag = Tag();
        var c = await RelayAsync(tag);
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var row = Assert.Single((await api.GetFromJsonAsync<JsonElement>($"/api/export/cases?source={tag}&format=json")).EnumerateArray());

        Assert.Equal(c.Reference, row.GetProperty("case").GetProperty("reference").GetString());
        Assert.Equal("confirmed", row.GetProperty("case").GetProperty("lastVerdict").GetString());
        Assert.Equal("data-accepted", row.GetProperty("firstVerdict").GetProperty("verdict").GetString());
        Assert.Equal(Reported.AddMinutes(1), row.GetProperty("firstVerdict").GetProperty("at").GetDateTimeOffset());
        Assert.Equal(2, row.GetProperty("noticesSent").GetInt32());
        Assert.Equal(2, row.GetProperty("contacts").GetArrayLength());
    }

    [Theory]
    [InlineData("format=xml", "format")]
    [InlineData("since=yesterday", "since")]
    [InlineData("state=Open", "state")]
    public async Task Export_Answers400NamingTheField_WhenAParameterIsWrong(string query, string field)
    {
        var api = await factory.ClientWithKeyAsync(ApiScope.Read);

        var r = await api.GetAsync($"/api/export/cases?{query}");
        var problem = await r.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Export_Answers401_WithoutAnApiKey()
    {
        var r = await factory.CreateClient().GetAsync("/api/export/cases");

        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
    }

    [Fact]
    public async Task Dashboard_ExportsTheContactsOfTheListedCases_FromTheCaseListLink()
    {
        var tag = Tag();
        var c = await RelayAsync(tag);
        var (_, browser) = await factory.OperatorAsync();

        var page = await browser.GetStringAsync($"/cases?source={tag}");
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"]*of=contacts[^\"]*format=csv[^\"]*)\"").Groups[1].Value;
        var rows = ParseCsv(await browser.GetStringAsync(WebUtility.HtmlDecode(link)));

        Assert.Contains($"source={tag}", WebUtility.HtmlDecode(link), StringComparison.Ordinal);
        Assert.Equal(["abuse@example.net", "noc@example.net"], rows.Select(r => r["contact"]));
        Assert.All(rows, r => Assert.Equal(c.Reference, r["reference"]));
        Assert.Equal(["1", "2"], rows.Select(r => r["rank"]));
    }

    [Fact]
    public async Task ExportVerb_WritesTheFileWhole_AndRefusesAWrongKind()
    {
        await RelayAsync(Tag(), state: CaseState.Escalated);
        var file = Path.Combine(factory.Directory, $"escalated-{Guid.NewGuid():N}.json");

        var code = await ExportCommand.RunAsync(factory.Services, ["cases", "--format", "json", "--state", "Escalated", "--output", file], Stream.Null, TextWriter.Null, CancellationToken.None);
        var rows = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement.EnumerateArray().ToList();

        Assert.Equal(0, code);
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(CaseState.Escalated, r.GetProperty("case").GetProperty("state").GetString()));
        Assert.False(File.Exists(file + ".partial"));
        await Assert.ThrowsAsync<CliUsageException>(() => ExportCommand.RunAsync(factory.Services, ["probes"], Stream.Null, TextWriter.Null, CancellationToken.None));
        await Assert.ThrowsAsync<CliUsageException>(() => ExportCommand.RunAsync(factory.Services, ["cases", "--since", "last week"], Stream.Null, TextWriter.Null, CancellationToken.None));
    }

    [Fact]
    public async Task ExportVerb_PrintsTheCsv_WhenRunAsTheBinary()
    {
        var c = await RelayAsync(Tag(), state: CaseState.Resolved);
        var env = new Dictionary<string, string>
        {
            ["Notifier__Database__ConnectionString"] = $"Data Source={factory.DatabasePath}",
            ["Notifier__Probing__TokenKeyFile"] = Path.Combine(factory.Directory, "keys", "probe-token.key"),
        };

        var (code, stdout, stderr) = await NotifierProcess.RunAsync(["export", "cases", "--state", "Resolved"], env, factory.Directory, TimeSpan.FromSeconds(60));

        Assert.True(code == 0, stderr);
        Assert.Contains(ParseCsv(stdout), r => r["reference"] == c.Reference && r["state"] == CaseState.Resolved);
    }
}
