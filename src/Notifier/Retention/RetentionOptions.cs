using System.ComponentModel.DataAnnotations;

namespace Notifier.Retention;

/// <summary>
/// The <c>Retention</c> section: how long raw mail is kept once no open case needs it as evidence. 0 keeps it
/// forever. What goes is the raw message (and an inbound message's header block); the row stays, with who sent
/// what, when, how it was classified and what was done, so the case timelines and statistics stay whole.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Days an inbound message (canary, bounce, reply, …) keeps its raw form, counted from its fetch.</summary>
    [Range(0, 36500)]
    public int InboundMessageDays { get; set; } = 365;

    /// <summary>Days a spam sample (import-eml, the report form) keeps its raw form, counted from its receipt.</summary>
    [Range(0, 36500)]
    public int SampleDays { get; set; } = 365;

    /// <summary>When the job runs (Hangfire cron, UTC); daily at 03:17 by default.</summary>
    [Required]
    public string Cron { get; set; } = "17 3 * * *";
}
