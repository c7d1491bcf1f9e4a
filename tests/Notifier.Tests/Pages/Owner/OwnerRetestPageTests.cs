using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>
/// "I fixed it — test again now" over HTTP (no job server: what the request changes, not what the retest finds):
/// the button asks a retest of the case's own relay, the limits answer 429 and change nothing, a closed case has no
/// button, and a retest page or its progress shows only retests of the link's own case.
/// </summary>
public sealed class OwnerRetestPageTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private static Task<HttpResponseMessage> PressAsync(HttpClient client, OwnerSeed seed, IReadOnlyDictionary<string, string>? extra = null) =>
        PageForm.PostAsync(client, seed.Url(), seed.Url("retest"), extra ?? new Dictionary<string, string>());

    /// <summary>A post without the button (a replayed or hand-made form): the antiforgery token from another form of the same browser.</summary>
    private static Task<HttpResponseMessage> ReplayAsync(HttpClient client, OwnerSeed seed) =>
        PageForm.PostAsync(client, "/login", seed.Url("retest"), new Dictionary<string, string>());

    private Task<List<CaseEvent>> OwnerRetestEventsAsync(int caseId) =>
        CaseSeed.ReadAsync(factory, db => db.CaseEvents.AsNoTracking().Where(e => e.CaseId == caseId && e.Kind == CaseEventKind.OwnerRetest).ToListAsync());

    private Task<Case> CaseAsync(int caseId) => CaseSeed.ReadAsync(factory, db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId));

    [Fact]
    public async Task Post_AsksARetestOfTheCasesOwnRelay_WhenTheOwnerPressesTheButton()
    {
        var seed = await OwnerSeed.CreateAsync(factory, contact: "noc@owner.example");
        var client = OwnerSeed.Anonymous(factory);
        var before = await CaseAsync(seed.CaseId);
        Assert.Contains("I fixed it — test again now</button>", WebUtility.HtmlDecode(await client.GetStringAsync(seed.Url())));

        // A forged form cannot name a target: only the case's relay is ever retested.
        var response = await PressAsync(client, seed, new Dictionary<string, string> { ["address"] = "192.0.2.1", ["port"] = "2525", ["host"] = "victim.example" });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(seed.Url("retest"), response.Headers.Location?.OriginalString);
        var c = await CaseAsync(seed.CaseId);
        Assert.Equal((CaseAction.Retest, "owner:noc@owner.example"), (c.NextAction, c.NextActionRequestedBy));
        Assert.Equal((before.Address, before.Port), (c.Address, c.Port));
        Assert.Equal(0, await CaseSeed.ReadAsync(factory, db => db.Cases.CountAsync(x => x.Address == "192.0.2.1")));
        var e = Assert.Single(await OwnerRetestEventsAsync(seed.CaseId));
        Assert.Equal("owner:noc@owner.example", e.Actor);
        Assert.Contains("from client address", e.Summary);
        var page = await client.GetStringAsync(seed.Url("retest"));
        Assert.Contains("Your test is queued and starts within seconds.", page);
        Assert.Contains("Next test possible at", page);
    }

    [Fact]
    public async Task Post_Answers429WithTheNextTimeAndChangesNothing_WhenPressedAgainWithinTheInterval()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var client = OwnerSeed.Anonymous(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PressAsync(client, seed)).StatusCode);
        var afterFirst = await CaseAsync(seed.CaseId);

        // The button is gone; a second post (a replayed form) is refused.
        var page = WebUtility.HtmlDecode(await client.GetStringAsync(seed.Url()));
        Assert.DoesNotContain("test again now</button>", page);
        var second = await ReplayAsync(client, seed);

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(9), $"Retry-After {second.Headers.RetryAfter}");
        var html = await second.Content.ReadAsStringAsync();
        Assert.Contains("Next test possible at", html);
        Assert.Contains("in 10 minutes", html);
        Assert.Single(await OwnerRetestEventsAsync(seed.CaseId));
        Assert.Equal(afterFirst.Version, (await CaseAsync(seed.CaseId)).Version);
    }

    [Fact]
    public async Task Post_Answers429UntilTheOldestDrops_WhenTheDaysRetestsAreUsedUp()
    {
        var now = DateTimeOffset.UtcNow;
        var seed = await OwnerSeed.CreateAsync(factory);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Notifier.Data.NotifierDb>();
            var c = await db.Cases.SingleAsync(x => x.Id == seed.CaseId);
            foreach (var hoursAgo in new[] { 20, 15, 10, 5 })
                CaseWorkflow.OwnerRetestRequested(c, "abuse@example.net", "192.0.2.7", now.AddHours(-hoursAgo));
            await db.SaveChangesAsync();
        }

        var response = await ReplayAsync(OwnerSeed.Anonymous(factory), seed);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        // Four a day (OwnerPage:RetestsPerDay): the one of 20 hours ago leaves the window in 4 hours.
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromHours(3.9), TimeSpan.FromHours(4));
        Assert.Contains("in 4 hours", await response.Content.ReadAsStringAsync());
        Assert.Equal(4, (await OwnerRetestEventsAsync(seed.CaseId)).Count);
        Assert.Null((await CaseAsync(seed.CaseId)).NextAction);
    }

    [Fact]
    public async Task Get_SaysClosedWithoutAButton_AndPostChangesNothing_WhenTheCaseIsClosed()
    {
        var seed = await OwnerSeed.CreateAsync(factory, shape: c => c.State = CaseState.Closed);
        var client = OwnerSeed.Anonymous(factory);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync(seed.Url()));
        Assert.Contains("This case is closed", page);
        Assert.DoesNotContain("test again now</button>", page);
        var response = await ReplayAsync(client, seed);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("This case is closed", await response.Content.ReadAsStringAsync());
        Assert.Empty(await OwnerRetestEventsAsync(seed.CaseId));
        Assert.Null((await CaseAsync(seed.CaseId)).NextAction);
    }

    [Fact]
    public async Task Get_Answers404_WhenTheProbeIsARetestOfAnotherCase()
    {
        var mine = await OwnerSeed.CreateAsync(factory);
        var other = await OwnerSeed.CreateAsync(factory);
        var theirs = await AddRetestAsync(other.CaseId, ProbeStatus.Running, [new TranscriptLine(DateTimeOffset.UtcNow, TranscriptLine.Received, "220 other.example ESMTP")]);
        var client = OwnerSeed.Anonymous(factory);

        var page = await client.GetAsync(mine.Url($"retest/{theirs}"));
        var progress = await client.GetAsync(mine.Url($"retest/progress?probe={theirs}"));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("other.example", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, progress.StatusCode);
        Assert.DoesNotContain("other.example", await progress.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(other.Url($"retest/{theirs}"))).StatusCode);
    }

    [Fact]
    public async Task Progress_ReturnsTheLinesSoFar_WhileTheOwnersRetestRuns()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Notifier.Data.NotifierDb>();
            CaseWorkflow.OwnerRetestRequested(await db.Cases.SingleAsync(x => x.Id == seed.CaseId), "abuse@example.net", "192.0.2.7", DateTimeOffset.UtcNow.AddSeconds(-5));
            await db.SaveChangesAsync();
        }
        var at = DateTimeOffset.UtcNow;
        var probe = await AddRetestAsync(seed.CaseId, ProbeStatus.Running,
            [new TranscriptLine(at, TranscriptLine.Received, "220 mx.owner.example ESMTP"), new TranscriptLine(at, TranscriptLine.Sent, "EHLO probe.test")]);
        var client = OwnerSeed.Anonymous(factory);

        var json = JsonDocument.Parse(await client.GetStringAsync(seed.Url("retest/progress"))).RootElement;
        var page = await client.GetStringAsync(seed.Url("retest"));

        Assert.Equal((probe, "running", false), (json.GetProperty("probe").GetInt32(), json.GetProperty("status").GetString(), json.GetProperty("over").GetBoolean()));
        Assert.Equal(["220 mx.owner.example ESMTP", "EHLO probe.test"], json.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("line").GetString()!).ToArray());
        Assert.Equal("<-", json.GetProperty("lines")[0].GetProperty("dir").GetString());
        Assert.Contains("The test is running", page);
        Assert.Contains("<code>220 mx.owner.example ESMTP</code>", page);
        Assert.Contains("data-waiting=\"true\"", page);
        Assert.Contains("<noscript><meta http-equiv=\"refresh\"", page);
        Assert.Contains("/js/owner-retest.js", page);
    }

    [Fact]
    public async Task Get_ShowsTheVerdictInPlainWords_WhenTheRetestFoundItStillOpen()
    {
        var seed = await OwnerSeed.CreateAsync(factory);
        var probe = await AddRetestAsync(seed.CaseId, ProbeStatus.Done, [], p =>
        {
            p.RetestOutcome = RetestOutcome.Open;
            p.Verdict = ProbeVerdict.RcptAccepted;
            p.AcceptedVariants = "percent-hack";
        });

        var page = await OwnerSeed.Anonymous(factory).GetStringAsync(seed.Url($"retest/{probe}"));

        Assert.Contains("Still relays:", page);
        Assert.Contains("accepted the percent hack", page);
        Assert.Contains("data-waiting=\"false\"", page);
        Assert.DoesNotContain("http-equiv=\"refresh\"", page);
    }

    private async Task<int> AddRetestAsync(int caseId, string status, IReadOnlyList<TranscriptLine> live, Action<Probe>? shape = null)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Notifier.Data.NotifierDb>();
        var p = new Probe
        {
            CaseId = caseId,
            Key = ProbeToken.NewProbeKey(),
            Kind = ProbeKind.Retest,
            Mode = ProbeMode.RcptOnly,
            RequestedBy = "owner:abuse@example.net",
            QueuedAt = DateTimeOffset.UtcNow,
            Status = status,
            LiveTranscript = JsonSerializer.Serialize(live, ProbeResultJson.Options),
        };
        shape?.Invoke(p);
        db.Probes.Add(p);
        await db.SaveChangesAsync();
        return p.Id;
    }
}

/// <summary>The per-client-address limit, in a service of its own (its limiter is per process).</summary>
public sealed class OwnerRetestClientLimitTests(OwnerRetestClientLimitTests.OneRetestPerClientFactory factory) : IClassFixture<OwnerRetestClientLimitTests.OneRetestPerClientFactory>
{
    public sealed class OneRetestPerClientFactory() : NotifierFactory(new Dictionary<string, string?>
    {
        ["Jobs:RunServer"] = "false",
        ["OwnerPage:ClientRetestsPerHour"] = "1",
    });

    [Fact]
    public async Task Post_Answers429ForAnotherCase_WhenTheClientAddressUsedItsRetests()
    {
        var first = await OwnerSeed.CreateAsync(factory);
        var second = await OwnerSeed.CreateAsync(factory);
        var client = OwnerSeed.Anonymous(factory);
        Assert.Equal(HttpStatusCode.Redirect, (await PageForm.PostAsync(client, first.Url(), first.Url("retest"), new Dictionary<string, string>())).StatusCode);

        var refused = await PageForm.PostAsync(client, second.Url(), second.Url("retest"), new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Next test possible at", await refused.Content.ReadAsStringAsync());
        var c = await CaseSeed.ReadAsync(factory, db => db.Cases.AsNoTracking().SingleAsync(x => x.Id == second.CaseId));
        Assert.Null(c.NextAction);
        Assert.False(await CaseSeed.ReadAsync(factory, db => db.CaseEvents.AnyAsync(e => e.CaseId == second.CaseId && e.Kind == CaseEventKind.OwnerRetest)));
    }
}
