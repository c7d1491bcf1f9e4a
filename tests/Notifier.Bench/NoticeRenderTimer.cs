using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Notifier.Notices;

namespace Notifier.Bench;

/// <summary>
/// Notices per second per template: the service's renderer (NoticeRenderer: templates/ written by NoticeTreeWriter) on a representative model
/// of each kind, one relay with a transcript excerpt, rendered one after another on one thread.
/// </summary>
public static class NoticeRenderTimer
{
    public static async Task<double> NoticesPerSecondAsync(NoticeKind kind, int count)
    {
        await using var services = new ServiceCollection().BuildServiceProvider();
        await using var renderer = new NoticeRenderer(services);
        var model = Model(kind);
        for (var i = 0; i < 200; i++) await renderer.RenderAsync(model); // warm-up: the first renders compile
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++) await renderer.RenderAsync(model with { CaseReference = $"NR-{i:000000}" });
        return count / watch.Elapsed.TotalSeconds;
    }

    private static NoticeModel Model(NoticeKind kind)
    {
        var observed = new DateTimeOffset(2026, 11, 30, 22, 15, 7, TimeSpan.Zero);
        var retested = new DateTimeOffset(2026, 11, 28, 6, 30, 0, TimeSpan.Zero);
        return new NoticeModel
        {
            Kind = kind,
            Language = "en",
            Desk = new NoticeDesk { Name = "Example CERT abuse desk", ReplyAddress = "abuse-desk@cert.example", WebsiteUrl = "https://cert.example/relays" },
            Recipient = new NoticeRecipient { Address = "abuse@example.net", Source = "rdap", Provenance = ["RDAP: network EXAMPLE-NET 192.0.2.0/24, abuse role"] },
            CaseReference = "NR-000123",
            Relays =
            [
                new NoticeRelay
                {
                    CaseReference = "NR-000123", Address = "192.0.2.10", Port = 25, HostName = "mail.example.net", ObservedAt = observed,
                    ConfirmedAt = observed.AddMinutes(2), Verdict = "confirmed", Variant = "plain", AcceptedSender = "relaytest@notifier.example",
                    AcceptedRecipient = "canary+abc123@canary.notifier.example", Mta = "Postfix", Banner = "220 mail.example.net ESMTP Postfix",
                    TranscriptExcerpt = ["<- 220 mail.example.net ESMTP Postfix", "-> MAIL FROM:<relaytest@notifier.example>", "<- 250 2.1.0 Ok",
                        "-> RCPT TO:<canary+abc123@canary.notifier.example>", "<- 250 2.1.5 Ok"],
                },
            ],
            WrittenAt = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
            OwnerPageUrl = "https://notifier.example/r/Zm9vYmFy",
            OwnerPageExpiresAt = new DateTimeOffset(2027, 1, 30, 0, 0, 0, TimeSpan.Zero),
            OptOutAddress = "optout@notifier.example",
            EarlierNoticesAt = kind == NoticeKind.FirstNotice ? [] : [new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero)],
            LatestRetest = kind switch
            {
                NoticeKind.StillOpen or NoticeKind.Escalation => new NoticeRetest { At = retested, Verdict = "open" },
                NoticeKind.Resolved => new NoticeRetest { At = retested, Verdict = "closed" },
                _ => null,
            },
            NextRetestAt = kind is NoticeKind.StillOpen or NoticeKind.Escalation ? retested.AddDays(7) : null,
            Escalation = kind == NoticeKind.Escalation
                ? new NoticeEscalation { Network = "AS64500 EXAMPLE-TRANSIT 192.0.2.0/22", EarlierRecipients = ["abuse@example.net"], FirstNotifiedAt = observed.AddDays(-28), NoticesSent = 3 }
                : null,
        };
    }
}
