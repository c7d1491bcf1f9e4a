using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;
using Notifier.Probing;

namespace Notifier.Bench;

/// <summary>
/// Fills a migrated SQLite database with cases as a year of a busy desk leaves them, each moved through the case
/// state machine (CaseWorkflow) as the jobs move it, so states, events and schedules are the ones production
/// writes: about 45% closed relays (NotRelay), the rest confirmed open relays with one or two ranked contacts, of
/// which a quarter have a first notice awaiting approval, the others a sent notice and a retest schedule (some
/// closed as fixed since), a fifth assigned to one of five operators. Addresses are in 127.0.0.0/8 (many /24s, as
/// real reports spread over networks): the benchmark runs with no job server, and nothing here is ever probed
/// beyond loopback.
/// </summary>
public static class CaseSeeder
{
    private const int Batch = 2000;
    private static readonly string[] Sources = ["spamtrap", "feed:blocklist", "csv", "sample", "manual"];
    private static readonly string[] Operators = ["alice", "bob", "carol", "dave", "erin"];
    private static readonly string[] Mtas = ["Postfix", "Exim", "Microsoft Exchange", "Sendmail", "qmail"];

    public static async Task<int> SeedAsync(string connectionString, int count, DateTimeOffset now)
    {
        var options = new DbContextOptionsBuilder<SqliteNotifierDb>().UseSqlite(connectionString).Options;
        await using (var migrate = new SqliteNotifierDb(options)) await migrate.Database.MigrateAsync();
        var random = new Random(13);
        var cases = new CasesOptions();
        var retests = new RetestOptions();
        long contactId = 0, noticeId = 0, eventId = 0;
        var probeId = 0;
        var rows = 0;
        await using var db = new SqliteNotifierDb(options);
        await db.Database.OpenConnectionAsync();
        // A database made to be thrown away: no rollback journal, no fsync, a large page cache (SQLite "PRAGMA"
        // docs); the service opens it afterwards with its own settings.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
        // One transaction for the whole seed: SQLite commits once.
        var connection = db.Database.GetDbConnection();
        await using var tx = await connection.BeginTransactionAsync();
        using var bulk = new BulkRows(db, connection, tx);
        // A result's JSON differs per case only in its address, key and times; its compressed size is what matters
        // here, so each (MTA, verdict) result is serialized once and reused (compressing a million results would be
        // most of the seeding time). The case page shows the transcript of that first case.
        var results = new Dictionary<(string, bool), string>();
        for (var i = 1; i <= count; i++)
        {
            var opened = now - TimeSpan.FromMinutes(random.Next(1, 365 * 24 * 60));
            var address = $"127.{1 + (i / 65536) % 254}.{i / 256 % 256}.{i % 256}";
            var c = CaseWorkflow.Open(address, 25, $"{address}:25", Sources[random.Next(Sources.Length)], null, "api:bench-feed", opened);
            c.Id = i;
            var probe = CaseWorkflow.QueueProbe(c, ProbeMode.Quick, opened);
            var open = random.NextDouble() < 0.55;
            var mta = Mtas[random.Next(Mtas.Length)];
            var at = opened + TimeSpan.FromMinutes(1);
            var result = Result(probe, address, open, mta, at);
            CaseWorkflow.ProbeFinished(c, probe, result, cases, at);
            probe.Status = ProbeStatus.Done;
            probe.StartedAt = at;
            probe.FinishedAt = at;
            if (!results.TryGetValue((mta, open), out var json)) results[(mta, open)] = json = ProbeResultJson.Serialize(result);
            probe.ResultJson = json;
            var contacts = new List<CaseContact>();
            Notice? notice = null;
            if (open)
            {
                at += TimeSpan.FromMinutes(2);
                CaseWorkflow.Confirm(c, probe, ProbeVerdict.Confirmed, "the canary arrived from the target", at);
                CaseWorkflow.NothingToConfirm(c);
                contacts = Enumerable.Range(1, 1 + random.Next(2)).Select(rank => Contact(++contactId, i, rank, address, at)).ToList();
                notice = CaseWorkflow.PlanNotice(c, nameof(NoticeKind.FirstNotice), contacts[0].Address, contacts[0].Id, null, null, at, "system", "rank-1 contact", at);
                notice.Id = ++noticeId;
                if (random.NextDouble() < 0.75)
                {
                    at += TimeSpan.FromHours(random.Next(1, 24));
                    CaseWorkflow.ApproveNotice(c, notice, $"operator:{Operators[random.Next(Operators.Length)]}", at);
                    notice.MessageId = $"notice-{notice.Id}@bench.test";
                    notice.Language = NoticeLanguage.English;
                    CaseWorkflow.NoticeSent(c, notice, "outbox", "written", retests, at);
                    if (random.NextDouble() < 0.2 && at + TimeSpan.FromDays(3) < now)
                        CaseWorkflow.Close(c, "operator:alice", CloseReason.Fixed, "owner replied: fixed", at + TimeSpan.FromDays(3));
                }
            }
            if (random.NextDouble() < 0.2) CaseWorkflow.Assign(c, "operator:alice", Operators[random.Next(Operators.Length)], at);
            // The rows in the order their foreign keys need: the case, its probes, events, contacts, notice.
            bulk.Insert(c);
            foreach (var p in c.Probes)
            {
                p.Id = ++probeId;
                p.CaseId = c.Id;
                bulk.Insert(p);
            }
            foreach (var e in c.Events)
            {
                e.Id = ++eventId;
                e.CaseId = c.Id;
                bulk.Insert(e);
            }
            foreach (var x in contacts) bulk.Insert(x);
            if (notice is not null)
            {
                notice.CaseId = c.Id;
                bulk.Insert(notice);
            }
            rows += 1 + c.Probes.Count + c.Events.Count;
        }
        await tx.CommitAsync();
        return rows;
    }

    private static CaseContact Contact(long id, int caseId, int rank, string address, DateTimeOffset at) => new()
    {
        Id = id,
        CaseId = caseId,
        Address = rank == 1 ? $"abuse@net{caseId % 5000}.example" : $"noc@net{caseId % 5000}.example",
        Source = "rdap",
        Sources = "rdap",
        Tier = "rdap-abuse",
        Confidence = "high",
        Rank = rank,
        EvidenceJson = $$"""[{"query":"RDAP ip network {{address}}","answer":"abuse entity"}]""",
        FirstSeenAt = at,
        LastSeenAt = at,
        RankedAt = at,
    };

    /// <summary>A probe result of the size real ones have: the dialogue's transcript and the variants tried.</summary>
    private static ProbeResult Result(Probe probe, string address, bool open, string mta, DateTimeOffset at)
    {
        var host = $"mx{address.Replace('.', '-')}.example.net";
        var rcptReply = open ? "250 2.1.5 Ok" : "554 5.7.1 Relay access denied";
        var variants = new List<VariantResult> { new("plain", "direct", "relaytest@desk.test", "relaytest+t@canary.test", "250 2.1.0 Ok", rcptReply, open, open ? VariantOutcome.Accepted : VariantOutcome.Refused, 1) };
        string[] lines = [$"220 {host} ESMTP {mta}", $"EHLO relay-test.notifier.invalid", $"250-{host}", "250-PIPELINING", "250-SIZE 10240000", "250-STARTTLS", "250 8BITMIME",
            "RSET", "250 2.0.0 Ok", "MAIL FROM:<relaytest@desk.test>", "250 2.1.0 Ok", "RCPT TO:<relaytest+t@canary.test>", rcptReply];
        return new ProbeResult
        {
            Target = $"{address}:25",
            Host = address,
            Address = address,
            Port = 25,
            ProbeKey = probe.Key,
            Verdict = open ? ProbeVerdict.DataAccepted : ProbeVerdict.Closed,
            Reason = open ? "the server accepted a recipient at our canary domain" : "every relay test was refused",
            Mode = ProbeMode.Quick,
            Token = "t",
            CanaryAddress = "relaytest+t@canary.test",
            Mta = mta,
            Banner = lines[0],
            HostName = host,
            DataVariant = open ? "plain" : null,
            Variants = variants,
            AcceptedVariants = open ? ["plain"] : [],
            Transcript = [.. lines.Select((l, n) => new TranscriptLine(at, n % 2 == 1 && !l.StartsWith('2') && !l.StartsWith('5') ? TranscriptLine.Sent : TranscriptLine.Received, l))],
            StartedAt = at,
            FinishedAt = at,
        };
    }
}
