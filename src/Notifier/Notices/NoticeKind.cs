namespace Notifier.Notices;

/// <summary>Which notice a template writes. Each has its own Razor component in templates/.</summary>
public enum NoticeKind
{
    /// <summary>The first report of a proven open relay to the responsible contact.</summary>
    FirstNotice,

    /// <summary>No reply and the relay not yet retested closed: a polite reminder of the first notice.</summary>
    Reminder,

    /// <summary>A retest after a notice still finds the relay open.</summary>
    StillOpen,

    /// <summary>Thank-you after a retest finds the relay closed.</summary>
    Resolved,

    /// <summary>To the upstream network's abuse contact after the direct contacts did not act.</summary>
    Escalation,
}
