using System.Text;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Inbox;
using Notifier.Probing;
using Notifier.Tests.Cases;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>
/// The rows the dashboard's routes are about, seeded through the real service: a confirmed case whose probe saw a
/// host name and banner, a ranked contact, a note, a first notice awaiting approval, and a reply filed on the case.
/// Every text the case pages show comes from <paramref name="text"/>, so a hostile text reaches every place a case
/// field is rendered.
/// </summary>
public sealed record DashboardSeed(int CaseId, long NoticeId, long InboundId, string OwnerToken)
{
    public static async Task<DashboardSeed> CreateAsync(NotifierFactory factory, string address, string text)
    {
        var now = DateTimeOffset.UtcNow;
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var contact = $"abuse-{Guid.NewGuid():N}"[..14] + "@isp.example";
        var caseId = await NoticeRig.SeedCaseAsync(db, now, address, CaseState.Confirmed, contact);
        var c = await db.Cases.SingleAsync(x => x.Id == caseId);
        c.Source = text;
        c.Note = text;
        CaseWorkflow.AddNote(c, "operator:seed", text, now);
        var probe = await db.Probes.SingleAsync(p => p.CaseId == caseId);
        var result = ProbeResultJson.Deserialize(probe.ResultJson!)!;
        probe.Mta = text;
        probe.ResultJson = ProbeResultJson.Serialize(result with
        {
            HostName = text,
            Banner = "220 " + text,
            Mta = text,
            Transcript = [.. result.Transcript, new TranscriptLine(now, TranscriptLine.Received, "250-" + text)],
        });
        var k = await db.CaseContacts.SingleAsync(x => x.CaseId == caseId);
        k.StatusReason = text;
        k.EvidenceJson = System.Text.Json.JsonSerializer.Serialize(new[] { new { query = "RDAP entity " + text, answer = "abuse contact " + text } });
        await db.SaveChangesAsync();
        var notice = await scope.ServiceProvider.GetRequiredService<NoticePlanner>().PlanFirstNoticeAsync(c, null, false, now, CancellationToken.None)
            ?? throw new InvalidOperationException("no notice was planned for the seeded case");
        // A second contact whose address is the text itself (as a manual entry or a hostile RDAP answer could give).
        db.CaseContacts.Add(new CaseContact
        {
            CaseId = caseId,
            Address = text + "@evil.example",
            Source = "manual",
            Sources = "manual",
            Tier = "manual",
            Confidence = "low",
            Rank = 2,
            StatusReason = text,
            EvidenceJson = "[]",
            FirstSeenAt = now,
            LastSeenAt = now,
            RankedAt = now,
        });
        await db.SaveChangesAsync();
        var raw = Encoding.UTF8.GetBytes($"From: {contact}\r\nSubject: Re: {text}\r\n\r\n{text}\r\n");
        var reply = new InboundMessage
        {
            Folder = "INBOX",
            UidValidity = 1,
            Uid = Random.Shared.NextInt64(1, long.MaxValue),
            MessageId = $"<{Guid.NewGuid():N}@isp.example>",
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(raw)),
            FetchedAt = now,
            Date = now,
            FromAddress = contact,
            From = $"{text} <{contact}>",
            To = "notices@desk.test",
            Subject = "Re: " + text,
            Headers = $"From: {contact}\r\nSubject: Re: {text}\r\n",
            Raw = raw,
            Class = InboundClass.Reply,
            Intent = ReplyIntent.Other,
            Rule = "seed",
            Detail = text,
            CaseId = caseId,
            ProcessedAt = now,
        };
        db.InboundMessages.Add(reply);
        // The owner page of the first contact, made by the real link maker.
        var links = new OwnerLinks(db, Microsoft.Extensions.Options.Options.Create(new NoticePolicyOptions { PublicBaseUrl = "https://desk.example" }));
        var (ownerUrl, _) = (await links.CreateAsync(caseId, k.Id, now, CancellationToken.None))!.Value;
        await db.SaveChangesAsync();
        return new DashboardSeed(caseId, notice.Id, reply.Id, ownerUrl[(ownerUrl.LastIndexOf('/') + 1)..]);
    }
}
