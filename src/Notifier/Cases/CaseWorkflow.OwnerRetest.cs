namespace Notifier.Cases;

/// <summary>
/// "I fixed it — test again now" on the owner page (issue 14): the owner's request is recorded as who asked and from
/// where, and then asked for as any retest is (<see cref="RequestRetest"/>: RCPT only, through the dispatcher and
/// <see cref="ProbeJob"/>), so a passing one resolves the case and thanks its contacts exactly as a scheduled one does.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>The start of <see cref="Probe.RequestedBy"/> and of the actor of a request made on the owner page.</summary>
    public const string OwnerActorPrefix = "owner:";

    /// <summary>The actor of a request the contact <paramref name="contactAddress"/> made on their owner page.</summary>
    public static string OwnerActor(string contactAddress) => OwnerActorPrefix + contactAddress;

    /// <summary>Whether a probe was asked for on the owner page (its owner watches it live there).</summary>
    public static bool IsOwnerRequest(string? requestedBy) => requestedBy?.StartsWith(OwnerActorPrefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// The <see cref="CaseEventKind.OwnerRetest"/> event of an owner's request: the owner page's per-case limits count
    /// these, so they hold across restarts and nodes. The retest itself is asked for next, with <see cref="RequestRetest"/>.
    /// </summary>
    public static void OwnerRetestRequested(Case c, string contactAddress, string clientAddress, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, OwnerActor(contactAddress), CaseEventKind.OwnerRetest,
            $"The owner ({contactAddress}) asked on the owner page for a retest now (\"I fixed it\"), from client address {clientAddress}", null));
    }
}
