using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Notifier.Cases;

/// <summary>
/// The <c>Retests</c> section: when a notified relay is tested again, how often at most, and when the desk stops
/// writing to the direct contacts and goes upstream. Validated at start (<see cref="RetestOptionsValidator"/>).
/// </summary>
public sealed class RetestOptions
{
    public const string Section = "Retests";

    /// <summary>+2 d, +7 d, +14 d, +30 d after the first notice, when <see cref="Schedule"/> is not configured.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultSchedule = [TimeSpan.FromDays(2), TimeSpan.FromDays(7), TimeSpan.FromDays(14), TimeSpan.FromDays(30)];

    /// <summary>
    /// Retests after the first notice, each counted from the first notice's time, ascending (<c>["2.00:00:00", "7.00:00:00"]</c>).
    /// Null (not configured): <see cref="DefaultSchedule"/>. An array rather than a default-filled list because the
    /// configuration binder appends configured elements to a list's defaults instead of replacing them.
    /// </summary>
    public TimeSpan[]? Schedule { get; set; }

    /// <summary>After the last scheduled retest, retest this often while the relay is open (and monthly when unresponsive).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Retests:ThenEvery must be between 1 hour and 365 days")]
    public TimeSpan ThenEvery { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Never two retests of one target closer than this, whoever asks (schedule, a "fixed" reply, an operator, the
    /// owner page): a request inside it is moved to the first allowed moment, so a burst of requests runs one retest.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Retests:MinInterval must be between 1 second and 7 days")]
    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Notices to the direct contacts that went unanswered while the relay stayed open before the upstream network is told.</summary>
    [Range(1, 20, ErrorMessage = "Retests:EscalateAfterIgnoredNotices must be between 1 and 20")]
    public int EscalateAfterIgnoredNotices { get; set; } = 3;

    /// <summary>Retests that still find it open after the escalation before the case is called unresponsive.</summary>
    [Range(1, 20, ErrorMessage = "Retests:UnresponsiveAfterEscalatedRetests must be between 1 and 20")]
    public int UnresponsiveAfterEscalatedRetests { get; set; } = 2;

    /// <summary>A resolved relay is retested once more after this long, to catch a relay opened again (recidivism).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Retests:ResolvedRecheckAfter must be between 1 hour and 365 days")]
    public TimeSpan ResolvedRecheckAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>An inconclusive retest (only 4xx after the greylisting retries, unreachable) is tried again after this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Retests:InconclusiveRetryDelay must be between 1 second and 7 days")]
    public TimeSpan InconclusiveRetryDelay { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Inconclusive retests in a row before the case waits for its next scheduled retest instead.</summary>
    [Range(1, 20, ErrorMessage = "Retests:MaxInconclusiveInARow must be between 1 and 20")]
    public int MaxInconclusiveInARow { get; set; } = 3;

    /// <summary>An unreachable (never notified) case is probed afresh after this long …</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Retests:UnreachableReprobeAfter must be between 1 hour and 365 days")]
    public TimeSpan UnreachableReprobeAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>… at most this many times; then it stays unreachable for an operator.</summary>
    [Range(0, 20, ErrorMessage = "Retests:MaxUnreachableReprobes must be between 0 and 20")]
    public int MaxUnreachableReprobes { get; set; } = 3;

    /// <summary>An accepts-but-drops (Unconfirmed) case is probed afresh once after this long, with a new test message: the canary may get through then.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00", ErrorMessage = "Retests:UnconfirmedReprobeAfter must be between 1 hour and 365 days")]
    public TimeSpan UnconfirmedReprobeAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The schedule in force: <see cref="Schedule"/> when configured, else <see cref="DefaultSchedule"/>.</summary>
    public IReadOnlyList<TimeSpan> EffectiveSchedule => Schedule ?? DefaultSchedule;
}

/// <summary>What data annotations cannot say about <see cref="RetestOptions"/>: the schedule is positive and ascending.</summary>
internal sealed class RetestOptionsValidator : IValidateOptions<RetestOptions>
{
    public ValidateOptionsResult Validate(string? name, RetestOptions options)
    {
        var errors = new List<string>();
        var schedule = options.EffectiveSchedule;
        for (var i = 0; i < schedule.Count; i++)
        {
            if (schedule[i] <= TimeSpan.Zero) errors.Add($"Retests:Schedule:{i} ({schedule[i]}) must be after the first notice (positive)");
            else if (i > 0 && schedule[i] <= schedule[i - 1]) errors.Add($"Retests:Schedule:{i} ({schedule[i]}) must be later than Retests:Schedule:{i - 1} ({schedule[i - 1]})");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
