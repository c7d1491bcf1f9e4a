using Microsoft.EntityFrameworkCore;
using MimeKit;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Cases;

/// <summary>
/// A sent notice's List-Unsubscribe (RFC 2369) and List-Unsubscribe-Post (RFC 8058): the one-click URL is its owner
/// page's <c>/unsubscribe</c> when the public base URL is https, and absent (the mailto only) when it is http.
/// </summary>
public sealed class NoticeOneClickUnsubscribeTests
{
    /// <summary>A notice planned, approved through the API and sent to a fresh outbox by a service with that base URL.</summary>
    private static async Task<MimeMessage> SentNoticeAsync(string publicBaseUrl)
    {
        var outbox = Path.Combine(Path.GetTempPath(), "notifier-outbox-tests", Guid.NewGuid().ToString("n"));
        using var factory = new NotifierFactory(new Dictionary<string, string?>
        {
            ["Notices:OutboxDirectory"] = outbox,
            ["Notices:DeskAddress"] = "notices@desk.test",
            ["Notices:PublicBaseUrl"] = publicBaseUrl,
        });
        try
        {
            long noticeId;
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
                var caseId = await NoticeRig.SeedCaseAsync(db, DateTimeOffset.UtcNow, "198.51.100.80", CaseState.Confirmed, "abuse@one-click-header.example");
                var c = await db.Cases.SingleAsync(x => x.Id == caseId);
                var n = await scope.ServiceProvider.GetRequiredService<NoticePlanner>().PlanFirstNoticeAsync(c, null, false, DateTimeOffset.UtcNow, CancellationToken.None);
                await db.SaveChangesAsync();
                noticeId = n!.Id;
            }
            var client = await factory.ClientWithKeyAsync();
            Assert.True((await client.PostAsync($"/api/notices/{noticeId}/approve", null)).IsSuccessStatusCode);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < deadline && !(Directory.Exists(outbox) && Directory.GetFiles(outbox, "*.eml").Length > 0)) await Task.Delay(200);
            return await MimeMessage.LoadAsync(Assert.Single(Directory.GetFiles(outbox, "*.eml")));
        }
        finally
        {
            try { Directory.Delete(outbox, true); }
            catch (IOException) { }
        }
    }

    [Fact]
    public async Task Send_OffersOneClickToTheOwnerPage_WhenThePublicBaseUrlIsHttps()
    {
        var message = await SentNoticeAsync("https://notifier.desk.test");

        var header = message.Headers[NoticeHeaders.ListUnsubscribe];
        var token = message.TextBody!.Split("https://notifier.desk.test/r/")[1].Split(' ', '\n', '\r', '>', '/')[0];
        Assert.Contains("<mailto:", header, StringComparison.Ordinal);
        Assert.Contains($"<https://notifier.desk.test/r/{token}/unsubscribe>", header, StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers[NoticeHeaders.ListUnsubscribePost]);
    }

    [Fact]
    public async Task Send_OffersTheMailtoOnly_WhenThePublicBaseUrlIsHttp()
    {
        var message = await SentNoticeAsync("http://notifier.desk.test");

        var header = message.Headers[NoticeHeaders.ListUnsubscribe];
        Assert.NotNull(header);
        Assert.StartsWith("<mailto:", header, StringComparison.Ordinal);
        Assert.DoesNotContain("http", header.Replace("mailto:", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.False(message.Headers.Contains(NoticeHeaders.ListUnsubscribePost));
        Assert.Contains("http://notifier.desk.test/r/", message.TextBody, StringComparison.Ordinal);
    }
}
