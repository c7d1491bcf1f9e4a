using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// Whether a queued notice may go out now: the recipient domain's daily budget (<c>Notices:DailyBudgetPerDomain</c>,
/// UTC days: abuse desks throttle senders that flood them) and the re-notify period (<c>Notices:RenotifyAfter</c>:
/// no second notice about the same relay to the same address unless the case state changed). Asked inside the
/// claim's transaction, so two jobs do not both take the last unit of a budget.
/// </summary>
public sealed class NoticePacing(NotifierDb db, IOptions<NoticePolicyOptions> options)
{
    /// <summary>Null: send now. Otherwise when to try again, and why.</summary>
    public async Task<(DateTimeOffset Until, string Why)?> WaitAsync(Notice n, string relayKey, DateTimeOffset now, CancellationToken ct) =>
        await RenotifyWaitAsync(n, relayKey, now, ct) ?? await BudgetWaitAsync(n, now, ct);

    /// <summary>
    /// The re-notify rule alone: a notice batched into another's message (<see cref="NoticeBatch"/>) must pass it for
    /// its own relay, while the budget is the carrying message's. A carried notice counts as told.
    /// </summary>
    public async Task<(DateTimeOffset Until, string Why)?> RenotifyWaitAsync(Notice n, string relayKey, DateTimeOffset now, CancellationToken ct)
    {
        var renotify = TimeSpan.FromDays(options.Value.RenotifyAfter);
        if (renotify > TimeSpan.Zero)
        {
            var since = now - renotify;
            var earlier = await db.Notices.AsNoTracking()
                .Where(x => x.Id != n.Id && x.Recipient == n.Recipient && (x.State == NoticeState.Sent || x.State == NoticeState.Carried) && x.SentAt > since
                    && x.CaseStateAtPlan == n.CaseStateAtPlan && x.Case!.RelayKey == relayKey)
                .OrderByDescending(x => x.SentAt).Select(x => new { x.Id, x.SentAt }).FirstOrDefaultAsync(ct);
            if (earlier is not null)
                return (earlier.SentAt!.Value + renotify, string.Create(CultureInfo.InvariantCulture,
                    $"{n.Recipient} was told about {relayKey} on {earlier.SentAt.Value.UtcDateTime:yyyy-MM-dd HH:mm} UTC (notice {earlier.Id}) and nothing changed since (Notices:RenotifyAfter {options.Value.RenotifyAfter} days)"));
        }
        return null;
    }

    /// <summary>
    /// The recipient domain's daily budget, counted in messages: a batched message is one however many notices it
    /// carries (carried notices are neither Sent nor, while under way, counted as Sending).
    /// </summary>
    private async Task<(DateTimeOffset Until, string Why)?> BudgetWaitAsync(Notice n, DateTimeOffset now, CancellationToken ct)
    {
        var domain = ContactAddress.DomainOf(n.Recipient);
        var dayStart = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var suffix = "@" + domain;
        var today = await db.Notices.AsNoTracking()
            .CountAsync(x => x.Id != n.Id && x.Recipient.EndsWith(suffix)
                && ((x.State == NoticeState.Sent && x.SentAt >= dayStart) || (x.State == NoticeState.Sending && x.CarriedByNoticeId == null)), ct);
        if (today >= options.Value.DailyBudgetPerDomain)
            return (dayStart.AddDays(1), $"{today} notices to {domain} today: Notices:DailyBudgetPerDomain ({options.Value.DailyBudgetPerDomain}) is spent; waits for the next UTC day");
        return null;
    }
}
