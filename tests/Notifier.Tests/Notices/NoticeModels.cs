using Notifier.Notices;

namespace Notifier.Tests.Notices;

/// <summary>Representative notice models for the template tests: a full one, and the facts a test changes.</summary>
internal static class NoticeModels
{
    public static readonly DateTimeOffset Observed = new(2026, 11, 30, 22, 15, 7, TimeSpan.FromHours(-5));

    public static NoticeRelay Relay(string variant = "plain", string mta = "Postfix", string? hostName = "mail.example.net") => new()
    {
        CaseReference = "NR-000123",
        Address = "192.0.2.10",
        Port = 25,
        HostName = hostName,
        ObservedAt = Observed,
        ConfirmedAt = Observed.AddMinutes(2),
        Verdict = "confirmed",
        Variant = variant,
        AcceptedSender = "relaytest@notifier.example",
        AcceptedRecipient = "canary+abc123@canary.notifier.example",
        Mta = mta,
        Banner = "220 mail.example.net ESMTP Postfix",
        TranscriptExcerpt =
        [
            "2026-12-01T03:15:07.120Z <- 220 mail.example.net ESMTP Postfix",
            "2026-12-01T03:15:07.300Z -> MAIL FROM:<relaytest@notifier.example>",
            "2026-12-01T03:15:07.410Z <- 250 2.1.0 Ok",
            "2026-12-01T03:15:07.520Z -> RCPT TO:<canary+abc123@canary.notifier.example>",
            "2026-12-01T03:15:07.630Z <- 250 2.1.5 Ok",
        ],
    };

    public static NoticeModel Model(NoticeKind kind = NoticeKind.FirstNotice, string language = "en", params NoticeRelay[] relays) => new()
    {
        Kind = kind,
        Language = language,
        Desk = new NoticeDesk
        {
            Name = "Example CERT abuse desk",
            ReplyAddress = "abuse-desk@cert.example",
            WebsiteUrl = "https://cert.example/relays",
            HumanContact = "+49 30 1234567 (weekdays 9-17 CET)",
        },
        Recipient = new NoticeRecipient
        {
            Address = "abuse@example.net",
            Source = "rdap",
            Provenance = ["RIPE NCC RDAP: network EXAMPLE-NET 192.0.2.0/24, entity ABUSE1-RIPE with role abuse"],
        },
        CaseReference = "NR-000123",
        Relays = relays.Length == 0 ? [Relay()] : relays,
        WrittenAt = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
        OwnerPageUrl = "https://notifier.example/r/Zm9vYmFy",
        OwnerPageExpiresAt = new DateTimeOffset(2027, 1, 30, 0, 0, 0, TimeSpan.Zero),
        OptOutAddress = "optout@notifier.example",
        EarlierNoticesAt = kind == NoticeKind.FirstNotice ? [] : [new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero)],
        LatestRetest = kind switch
        {
            NoticeKind.StillOpen or NoticeKind.Escalation => new NoticeRetest
            {
                At = new DateTimeOffset(2026, 11, 28, 6, 30, 0, TimeSpan.Zero),
                Verdict = "open",
            },
            NoticeKind.Resolved => new NoticeRetest { At = new DateTimeOffset(2026, 11, 28, 6, 30, 0, TimeSpan.Zero), Verdict = "closed" },
            _ => null,
        },
        NextRetestAt = kind is NoticeKind.StillOpen or NoticeKind.Escalation ? new DateTimeOffset(2026, 12, 5, 6, 30, 0, TimeSpan.Zero) : null,
        Escalation = kind == NoticeKind.Escalation
            ? new NoticeEscalation
            {
                Network = "AS64500 EXAMPLE-TRANSIT 192.0.2.0/22",
                EarlierRecipients = ["abuse@example.net", "postmaster@example.net"],
                FirstNotifiedAt = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero),
                NoticesSent = 3,
            }
            : null,
    };
}
