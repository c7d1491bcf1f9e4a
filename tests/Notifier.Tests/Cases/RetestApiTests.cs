using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>The API side of issue 12: "probe now" on a notified case is a retest, closing takes a reason, the schedule is shown.</summary>
public sealed class RetestApiTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private static int _next = 40;

    /// <summary>A case whose first notice went out an hour ago (Monitoring, first retest in two days), proven through variant "plain".</summary>
    private async Task<int> NotifiedCaseAsync()
    {
        var address = $"192.0.2.{Interlocked.Increment(ref _next)}";
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var now = DateTimeOffset.UtcNow;
        var caseId = await NoticeRig.SeedCaseAsync(db, now.AddHours(-1), address, CaseState.Confirmed, "abuse@isp.example");
        var c = await db.Cases.SingleAsync(x => x.Id == caseId);
        c.State = CaseState.Monitoring;
        c.FirstNoticeAt = now.AddHours(-1);
        c.ScheduleFrom = c.FirstNoticeAt;
        c.NextAction = CaseAction.Retest;
        c.NextActionAt = now.AddDays(2);
        await db.SaveChangesAsync();
        return caseId;
    }

    private async Task<Probe?> WaitForProbeAsync(int caseId, string kind)
    {
        for (var i = 0; i < 100; i++)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            // The seeded proving probe has no requester; the one asked for through the API has.
            var p = await scope.ServiceProvider.GetRequiredService<NotifierDb>().Probes.AsNoTracking()
                .FirstOrDefaultAsync(x => x.CaseId == caseId && x.Kind == kind && x.RequestedBy != null);
            if (p is not null) return p;
            await Task.Delay(200);
        }
        return null;
    }

    [Fact]
    public async Task ProbeNow_IsAnRcptOnlyRetestThroughTheProvingVariant_WhenTheCaseWasNotified()
    {
        var client = await factory.ClientWithKeyAsync();
        var id = await NotifiedCaseAsync();

        var r = await client.PostAsync($"/api/cases/{id}/probe", null);

        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        var body = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("retest", body.GetProperty("kind").GetString());
        Assert.True(body.GetProperty("runsAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        var retest = await WaitForProbeAsync(id, ProbeKind.Retest);
        Assert.NotNull(retest);
        Assert.Equal((ProbeMode.RcptOnly, "plain"), (retest.Mode, retest.Variants));
        Assert.StartsWith("api:", retest.RequestedBy, StringComparison.Ordinal);
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{id}");
        Assert.Equal(ProbeKind.Retest, detail.GetProperty("probes").EnumerateArray().First(p => p.GetProperty("id").GetInt32() == retest.Id).GetProperty("kind").GetString());
        Assert.True(detail.GetProperty("case").TryGetProperty("firstNoticeAt", out _));
        Assert.True(detail.GetProperty("retests").TryGetProperty("planned", out _));
    }

    [Fact]
    public async Task ProbeNow_QueuesAFullConfirmation_WhenConfirmIsFull()
    {
        var client = await factory.ClientWithKeyAsync();
        var id = await NotifiedCaseAsync();

        var r = await client.PostAsync($"/api/cases/{id}/probe?confirm=full", null);

        Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
        Assert.Equal("full-confirmation", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("kind").GetString());
        var probe = await WaitForProbeAsync(id, ProbeKind.Initial);
        Assert.NotNull(probe);
        Assert.Equal(ProbeMode.Quick, probe.Mode);
        Assert.StartsWith("api:", probe.RequestedBy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Close_Answers400ListingTheReasons_WhenTheReasonIsUnknown()
    {
        var client = await factory.ClientWithKeyAsync();
        var id = await NotifiedCaseAsync();

        var r = await client.PostAsJsonAsync($"/api/cases/{id}/close", new { reason = "bored", note = "x" });
        var missing = await client.PostAsJsonAsync($"/api/cases/{id}/close", new { note = "x" });
        // A free-text reason alone (no reason code) is refused too: it must not close the case under "other" unasked.
        var freeText = await client.PostAsJsonAsync($"/api/cases/{id}/close", new { reason = "handled by phone" });

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (r.StatusCode, missing.StatusCode, freeText.StatusCode));
        var errors = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("reason")[0].GetString();
        Assert.Contains(string.Join(", ", CloseReason.ForOperators), errors, StringComparison.Ordinal);
        var state = (await client.GetFromJsonAsync<JsonElement>($"/api/cases/{id}")).GetProperty("case").GetProperty("state").GetString();
        Assert.NotEqual(CaseState.Closed, state);
    }

    [Theory]
    [InlineData("not-ours", "outside our networks", "not-ours")]
    [InlineData("other", null, "other")]
    public async Task Close_RecordsTheReason_AndTheNote(string reason, string? note, string expected)
    {
        var client = await factory.ClientWithKeyAsync();
        var id = await NotifiedCaseAsync();

        var r = await client.PostAsJsonAsync($"/api/cases/{id}/close", new { reason, note });

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var summary = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((CaseState.Closed, expected), (summary.GetProperty("state").GetString(), summary.GetProperty("closedReason").GetString()));
        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/cases/{id}");
        Assert.Contains(detail.GetProperty("events").EnumerateArray(), e => e.GetProperty("summary").GetString()!.Contains(note ?? reason, StringComparison.Ordinal));
    }
}
