using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Notifier.Cli;
using Notifier.Data;
using Notifier.Intake;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>
/// Free text through every way in: a spam sample's Subject (API, dashboard, CLI) becomes a bounded one-line note;
/// typed reasons (closing a case in the API and the dashboard, contact rules, suppressions) are refused naming the field.
/// </summary>
public sealed class FreeTextEntryPointTests(DefaultNotifierFactory factory) : IClassFixture<DefaultNotifierFactory>
{
    private static int _next;

    /// <summary>A public relay address no other test in this class uses.</summary>
    private static string NextRelay() => $"89.160.31.{Interlocked.Increment(ref _next)}";

    /// <summary>A sample from <paramref name="relay"/> whose Subject is 100 KB with a NUL and an escape sequence in it.</summary>
    private static byte[] HostileSample(string relay, string extraHeaders = "") => Encoding.UTF8.GetBytes(
        $"Received: from spam.example ({relay}) by mx.abuse-desk.example with ESMTP id 1; Wed, 4 Mar 2026 08:02:09 +0100\r\n" +
        extraHeaders +
        "From: <spam@parcel-tracking.example>\r\n" +
        $"Subject: win\0big \u001b[2J{new string('x', 100_000)}\r\n" +
        "Message-ID: <hostile@spam.example>\r\n\r\nbody\r\n");

    private async Task<string?> NoteOfAsync(int caseId)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<NotifierDb>().Cases.AsNoTracking().SingleAsync(c => c.Id == caseId)).Note;
    }

    private async Task<int> CaseIdOfAsync(string relay)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<NotifierDb>().Cases.AsNoTracking().SingleAsync(c => c.Address == relay)).Id;
    }

    private static void AssertBoundedOneLine(string? note)
    {
        Assert.NotNull(note);
        Assert.True(note.Length <= FreeText.MaxNoteLength, $"the note has {note.Length} characters");
        Assert.DoesNotContain(note, char.IsControl);
        Assert.StartsWith("Sample: win big [2Jxxx", note, StringComparison.Ordinal);
        Assert.EndsWith("…", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostSample_StoresABoundedNoteWithoutControlCharacters_WhenSubjectIsHugeWithNul()
    {
        var client = await factory.ClientWithKeyAsync();
        var relay = NextRelay();

        var r = await client.PostAsync("/api/samples", new ByteArrayContent(HostileSample(relay)) { Headers = { ContentType = new("message/rfc822") } });

        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        var id = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case").GetProperty("id").GetInt32();
        AssertBoundedOneLine(await NoteOfAsync(id));
    }

    [Fact]
    public async Task PostSample_AnswersWithTheCaseNotTheSample_WhenSampleIsMegabytes()
    {
        var client = await factory.ClientWithKeyAsync();
        // An older Received header of 4 MB below the relay's: the parser reads it, the answer must not carry it.
        var huge = $"Received: from a.example (89.160.40.1) by b.example ({new string('y', 4 * 1024 * 1024)}); Wed, 4 Mar 2026 08:02:00 +0100\r\n";
        var sample = HostileSample(NextRelay(), huge);

        var r = await client.PostAsync("/api/samples", new ByteArrayContent(sample) { Headers = { ContentType = new("message/rfc822") } });
        var body = await r.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        Assert.True(body.Length < 16 * 1024, $"the answer has {body.Length} characters");
        var report = JsonDocument.Parse(body).RootElement;
        Assert.Equal(sample.Length, report.GetProperty("sample").GetProperty("size").GetInt32());
        Assert.Equal(2, report.GetProperty("hops").GetInt32());
    }

    [Fact]
    public async Task ImportEml_StoresABoundedNote_WhenSubjectIsHugeWithNul()
    {
        var relay = NextRelay();
        var path = Path.Combine(factory.Directory, $"hostile-{Guid.NewGuid():N}.eml");
        await File.WriteAllBytesAsync(path, HostileSample(relay));

        var exit = await ImportCommand.RunEmlAsync(factory.Services, [path], TextWriter.Null, CancellationToken.None);

        Assert.Equal(0, exit);
        AssertBoundedOneLine(await NoteOfAsync(await CaseIdOfAsync(relay)));
    }

    [Fact]
    public async Task DashboardSample_StoresABoundedNote_WhenSubjectIsHugeWithNul()
    {
        var client = await DashboardSession.SignedInAsync(factory);
        var relay = NextRelay();
        var form = await client.GetStringAsync("/cases/new");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(DashboardSession.Token(form)), "__RequestVerificationToken" },
            { new ByteArrayContent(HostileSample(relay)), "file", "hostile.eml" },
        };

        var r = await client.PostAsync("/cases/new?handler=Sample", content);

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        AssertBoundedOneLine(await NoteOfAsync(await CaseIdOfAsync(relay)));
    }

    [Theory]
    [InlineData(FreeText.MaxReasonLength + 1, "")]
    [InlineData(10, "\0")]
    [InlineData(10, "\u001b[31m")]
    public async Task CloseCase_400NamingNote_AndTheCaseStaysOpen_WhenNoteIsTooLongOrHasControls(int length, string control)
    {
        var client = await factory.ClientWithKeyAsync();
        var created = await (await client.PostAsJsonAsync("/api/cases", new { address = NextRelay() })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetInt32();

        var r = await client.PostAsJsonAsync($"/api/cases/{id}/close", new { reason = "fixed", note = "fixed" + control + new string('r', length) });

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.True((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("note", out _));
        var state = (await client.GetFromJsonAsync<JsonElement>($"/api/cases/{id}")).GetProperty("case").GetProperty("state").GetString();
        Assert.NotEqual("Closed", state);
    }

    [Fact]
    public async Task DashboardClose_ShowsTheReasonError_AndTheCaseStaysOpen_WhenReasonIsTooLong()
    {
        var api = await factory.ClientWithKeyAsync();
        var id = (await (await api.PostAsJsonAsync("/api/cases", new { address = NextRelay() })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt32();
        var client = await DashboardSession.SignedInAsync(factory);
        var page = await client.GetStringAsync($"/cases/{id}");

        var r = await client.PostAsync($"/cases/{id}?handler=Close", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["reason"] = new string('r', FreeText.MaxReasonLength + 1),
            ["__RequestVerificationToken"] = DashboardSession.Token(page),
        }));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains($"reason: must be at most {FreeText.MaxReasonLength} characters", await r.Content.ReadAsStringAsync());
        var state = (await api.GetFromJsonAsync<JsonElement>($"/api/cases/{id}")).GetProperty("case").GetProperty("state").GetString();
        Assert.NotEqual("Closed", state);
    }

    [Fact]
    public async Task CreateRuleAndSuppression_400NamingReason_WhenReasonHasControlCharacters()
    {
        var client = await factory.ClientWithKeyAsync();

        var rule = await client.PostAsJsonAsync("/api/contacts/rules",
            new { address = "abuse@free-text.example", action = "disable", scope = "domain", domain = "free-text.example", reason = "bounces\0\u001b[2J" });
        var suppression = await client.PostAsJsonAsync("/api/suppressions", new { value = "free-text.example", reason = "asked us\r\nX-Forged: yes" });

        Assert.Equal(HttpStatusCode.BadRequest, rule.StatusCode);
        Assert.True((await rule.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(HttpStatusCode.BadRequest, suppression.StatusCode);
        Assert.True((await suppression.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
    }
}
