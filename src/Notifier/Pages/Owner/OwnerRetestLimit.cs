using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;

namespace Notifier.Pages.Owner;

/// <summary>
/// When a case's owner may ask for the next retest (<see cref="OwnerRetestOptions"/>): one per
/// <see cref="OwnerRetestOptions.EffectiveEvery"/> after the latest request, and no more than
/// <see cref="OwnerRetestOptions.RetestsPerDay"/> in any 24 hours. Counted from the case's <c>owner-retest</c> events.
/// </summary>
public static class OwnerRetestLimit
{
    public static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>The first moment the next request is allowed; null when it is allowed now.</summary>
    public static async Task<DateTimeOffset?> NextAllowedAsync(NotifierDb db, int caseId, OwnerRetestOptions options, TimeSpan minIntervalPerTarget,
        DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Day;
        var asked = await db.CaseEvents.AsNoTracking()
            .Where(e => e.CaseId == caseId && e.Kind == CaseEventKind.OwnerRetest && e.At > since)
            .OrderBy(e => e.At).Select(e => e.At).ToListAsync(ct);
        return NextAllowed(asked, options.EffectiveEvery(minIntervalPerTarget), options.RetestsPerDay, now);
    }

    /// <param name="asked">The requests of the last 24 hours, oldest first.</param>
    public static DateTimeOffset? NextAllowed(IReadOnlyList<DateTimeOffset> asked, TimeSpan every, int perDay, DateTimeOffset now)
    {
        if (asked.Count == 0) return null;
        var next = asked[^1] + every;
        // The day is full until its oldest request that must drop out of the window has.
        if (asked.Count >= perDay && asked[asked.Count - perDay] + Day > next) next = asked[asked.Count - perDay] + Day;
        return next > now ? next : null;
    }
}
