using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Notifier.Jobs;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// How a job takes a row for itself. Hangfire is at-least-once, so two copies of a job may run at once: the claim is
/// one conditional UPDATE that moves the row to its working status and writes the holder (<c>Jobs:NodeName</c>) and
/// the lease end. The database applies it atomically, so of two copies exactly one changes the row; the other finds
/// nothing to claim. A holder that dies leaves the lease to run out, and the row is claimable again (or, for a test
/// message, recorded as interrupted). Used by <see cref="ProbeLease"/> and <see cref="TestMessageJob"/>.
/// </summary>
public static class LeaseClaim
{
    /// <summary>A lease outlives the longest dialogue (<c>Probing:TotalTimeout</c>) by <c>Jobs:LeaseMargin</c>.</summary>
    public static TimeSpan Length(ProbingOptions probing, JobsOptions jobs)
    {
        ArgumentNullException.ThrowIfNull(probing);
        ArgumentNullException.ThrowIfNull(jobs);
        return probing.TotalTimeout + jobs.LeaseMargin;
    }

    /// <summary>
    /// Claims the rows of <paramref name="claimable"/> (the caller's condition: one row in a claimable state) for
    /// <paramref name="holder"/> until <paramref name="until"/>, setting <paramref name="alsoSet"/> in the same UPDATE
    /// (the working status, the start time, the token the work will carry). Returns the lease end written, or null
    /// when another job held the row or it was not claimable.
    /// </summary>
    public static async Task<DateTimeOffset?> TryClaimAsync<T>(
        IQueryable<T> claimable,
        Expression<Func<T, string?>> leaseOwner,
        Expression<Func<T, DateTimeOffset?>> leaseUntil,
        string holder,
        DateTimeOffset until,
        Action<UpdateSettersBuilder<T>> alsoSet,
        CancellationToken ct)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(alsoSet);
        DateTimeOffset? stamped = Stamp(until);
        var claimed = await claimable.ExecuteUpdateAsync(s =>
        {
            s.SetProperty(leaseOwner, holder).SetProperty(leaseUntil, stamped);
            alsoSet(s);
        }, ct);
        return claimed == 0 ? null : stamped;
    }

    /// <summary>
    /// Whole milliseconds: the SQLite mapping of DateTimeOffset (DateTimeOffsetToBinaryConverter) keeps 1/10,000 s, so
    /// a finer value would not read back equal to what a holder compares it with (<see cref="ProbeLease.Holds"/>).
    /// </summary>
    public static DateTimeOffset Stamp(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMillisecond, t.Offset);
}
