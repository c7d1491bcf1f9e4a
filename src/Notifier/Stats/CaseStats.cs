using System.Linq.Expressions;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Contacts.Rdap;
using Notifier.Data;
using Notifier.Inbox;

namespace Notifier.Stats;

/// <summary>
/// The metrics of the case life (issue 12), computed on request from the events and rows: nothing is counted on the
/// side, so they can never drift from the timeline. One query per section; SQLite groups and counts, C# computes
/// the percentiles (<see cref="Percentiles"/>) and the /24 (/48) grouping.
/// </summary>
public static class CaseStats
{
    public const string Unknown = "unknown";

    public static async Task<StatsDto> ComputeAsync(NotifierDb db, StatsRange range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(range);
        var weeks = await StatsWeeks.CountAsync(db, range, ct);
        var cohort = Cohort(db, range.FromAt, range.ToAt);

        var counts = await cohort.GroupBy(_ => 1).Select(g => new
        {
            Opened = g.Count(),
            Notified = g.Count(f => f.FirstNoticeAt != null),
            Replied = g.Count(f => f.FirstNoticeAt != null && f.Replied),
            Resolved = g.Count(f => f.FirstResolvedAt != null),
            Reopened = g.Count(f => f.Reopened),
        }).SingleOrDefaultAsync(ct);

        // The durations of every notified case, with what they are grouped by: the percentiles of the totals and
        // the median time to fix of each group are computed from this one selection.
        var notified = await cohort.Where(f => f.FirstNoticeAt != null)
            .Select(f => new Notified(f.Address, f.Network, f.Mta, f.CreatedAt, f.FirstNoticeAt!.Value, f.FirstResolvedAt))
            .ToListAsync(ct);

        var opened = counts?.Opened ?? 0;
        var notifiedCount = counts?.Notified ?? 0;
        var resolved = counts?.Resolved ?? 0;
        var totals = new TotalsDto(
            opened, notifiedCount, counts?.Replied ?? 0, resolved, counts?.Reopened ?? 0,
            Rate(counts?.Replied ?? 0, notifiedCount),
            Rate(counts?.Reopened ?? 0, resolved),
            Rate(resolved, notifiedCount),
            Percentiles.Summarise(notified.Select(n => n.NoticeAt - n.CreatedAt)),
            Percentiles.Summarise(notified.Where(n => n.ResolvedAt is not null).Select(n => n.ResolvedAt!.Value - n.NoticeAt)));

        var byPrefix = await ByPrefixAsync(cohort, notified, range.Top, ct);
        var byNetwork = await TopAsync(cohort, f => f.Network, notified, n => n.Network, range.Top, ct);
        var byMta = await TopAsync(cohort, f => f.Mta, notified, n => n.Mta, range.Top, ct);
        var histogram = FixTimeHistogram.Of(notified.Where(n => n.ResolvedAt is not null).Select(n => n.ResolvedAt!.Value - n.NoticeAt));
        return new StatsDto(range.From, range.To, weeks, totals, byPrefix, byNetwork, byMta, histogram);
    }

    /// <summary>A share rounded to 4 places; null when there is nothing to divide by (no NaN, no 0 that would read as "none").</summary>
    public static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The cases opened in [from, to) with their facts, in one statement whose every part reads an index once: the
    /// cohort through the created events (the CaseEvents index on Kind, ToState, At); the first resolution and the
    /// reopened and replied cases as sets built once and joined (not per-case subqueries: with a case's id and the
    /// kind and state in one condition, SQLite picks the (Kind, ToState, At) index and reads every resolution of every
    /// case for each case, which took minutes at 100,000 cases); the first notice and the MTA per case through the
    /// CaseId indexes of Notices and Probes.
    /// </summary>
    internal static IQueryable<CaseFacts> Cohort(NotifierDb db, DateTimeOffset from, DateTimeOffset to)
    {
        var opened = db.CaseEvents
            .Where(e => e.Kind == CaseEventKind.Created && e.ToState == null && e.At >= from && e.At < to)
            .Select(e => e.CaseId);
        var firstResolved = db.CaseEvents
            .Where(e => e.Kind == CaseEventKind.StateChanged && e.ToState == CaseState.Resolved)
            .GroupBy(e => e.CaseId)
            .Select(g => new { CaseId = g.Key, At = g.Min(e => e.At) });
        var reopened = db.CaseEvents
            .Where(e => e.Kind == CaseEventKind.StateChanged && e.ToState == CaseState.Reopened)
            .Select(e => e.CaseId);
        var replied = db.InboundMessages
            .Where(m => m.Class == InboundClass.Reply && m.CaseId != null)
            .Select(m => m.CaseId!.Value);
        return
            from c in db.Cases.AsNoTracking().Where(c => opened.Contains(c.Id))
            join r in firstResolved on c.Id equals r.CaseId into resolutions
            from r in resolutions.DefaultIfEmpty()
            select new CaseFacts
            {
                Address = c.Address,
                Network = c.Network ?? Unknown,
                Mta = db.Probes
                    .Where(p => p.CaseId == c.Id && p.Kind == ProbeKind.Initial && p.Status == ProbeStatus.Done)
                    .OrderByDescending(p => p.FinishedAt).ThenByDescending(p => p.Id)
                    .Select(p => p.Mta).FirstOrDefault() ?? Unknown,
                CreatedAt = c.CreatedAt,
                // Case.FirstNoticeAt is recorded when the first notice goes out; cases notified before that column
                // existed have only their notices.
                FirstNoticeAt = c.FirstNoticeAt ?? db.Notices
                    .Where(n => n.CaseId == c.Id && (n.State == NoticeState.Sent || n.State == NoticeState.Carried))
                    .Min(n => n.SentAt),
                FirstResolvedAt = r == null ? null : r.At,
                Replied = replied.Contains(c.Id),
                Reopened = reopened.Contains(c.Id),
            };
    }

    /// <summary>A notified case of the cohort: its group keys and its times.</summary>
    private sealed record Notified(string Address, string Network, string Mta, DateTimeOffset CreatedAt, DateTimeOffset NoticeAt, DateTimeOffset? ResolvedAt);

    private sealed class GroupCounts
    {
        public string Key { get; init; } = "";

        public int Opened { get; init; }

        public int Notified { get; init; }

        public int Resolved { get; init; }
    }

    /// <summary>The top groups by cases (then by key, so ties come out the same each time), grouped and counted by the database.</summary>
    private static async Task<IReadOnlyList<GroupStatsDto>> TopAsync(IQueryable<CaseFacts> cohort, Expression<Func<CaseFacts, string>> key,
        IReadOnlyList<Notified> notified, Func<Notified, string> keyOf, int top, CancellationToken ct)
    {
        var groups = await cohort.GroupBy(key).Select(g => new GroupCounts
        {
            Key = g.Key,
            Opened = g.Count(),
            Notified = g.Count(f => f.FirstNoticeAt != null),
            Resolved = g.Count(f => f.FirstResolvedAt != null),
        }).OrderByDescending(g => g.Opened).ThenBy(g => g.Key).Take(top).ToListAsync(ct);
        return WithTimeToFix(groups, notified, keyOf);
    }

    /// <summary>
    /// Per /24 (IPv6 /48, as the RDAP cache groups them: <see cref="IpMath.Block"/>), grouped here, not in SQL:
    /// SQLite has no address functions, and the /48 of an IPv6 address's text needs it parsed (<c>2001:db8::1</c>
    /// is in <c>2001:db8::/48</c>). One selection of the cohort's addresses and two flags.
    /// </summary>
    private static async Task<IReadOnlyList<GroupStatsDto>> ByPrefixAsync(IQueryable<CaseFacts> cohort, IReadOnlyList<Notified> notified, int top, CancellationToken ct)
    {
        var rows = await cohort.Select(f => new { f.Address, Notified = f.FirstNoticeAt != null, Resolved = f.FirstResolvedAt != null }).ToListAsync(ct);
        var groups = rows.GroupBy(r => Prefix(r.Address)).Select(g => new GroupCounts
        {
            Key = g.Key,
            Opened = g.Count(),
            Notified = g.Count(r => r.Notified),
            Resolved = g.Count(r => r.Resolved),
        }).OrderByDescending(g => g.Opened).ThenBy(g => g.Key, StringComparer.Ordinal).Take(top).ToList();
        return WithTimeToFix(groups, notified, n => Prefix(n.Address));
    }

    /// <summary>The /24 or /48 of a stored (canonical) address; the text itself should it not parse.</summary>
    public static string Prefix(string address) =>
        IPAddress.TryParse(address, out var ip) ? IpMath.Block(ip).ToString() : address;

    private static List<GroupStatsDto> WithTimeToFix(IReadOnlyList<GroupCounts> groups, IReadOnlyList<Notified> notified, Func<Notified, string> keyOf)
    {
        var wanted = groups.Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var fixes = notified.Where(n => n.ResolvedAt is not null && wanted.Contains(keyOf(n)))
            .GroupBy(keyOf, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Percentiles.Summarise(g.Select(n => n.ResolvedAt!.Value - n.NoticeAt)).MedianHours, StringComparer.Ordinal);
        return groups.Select(g => new GroupStatsDto(g.Key, g.Opened, g.Notified, g.Resolved, fixes.GetValueOrDefault(g.Key))).ToList();
    }
}
