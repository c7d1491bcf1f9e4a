namespace Notifier.Pages.Owner;

/// <summary>
/// Where a visitor is in "not our server" or "don't contact us again": these change who we write to, so the reason
/// is asked first and the change made only after a second, explicit "yes" (a single POST changes nothing).
/// </summary>
public enum OwnerActionStep
{
    /// <summary>The form with the reason.</summary>
    Ask,

    /// <summary>The reason is fine: "yes, do it" or go back.</summary>
    Confirm,

    /// <summary>Done now.</summary>
    Done,

    /// <summary>Done before: nothing changed.</summary>
    AlreadyDone,
}
