namespace Notifier.Cases;

/// <summary>Mail the inbox could not place, put on the case by a person.</summary>
public static partial class CaseWorkflow
{
    /// <summary>
    /// An operator filed inbound mail onto the case: on the timeline with who did it. Moves no state; what the mail
    /// asks (a reply's intent) is recorded and done separately, as the inbox does it.
    /// </summary>
    public static void MailFiled(Case c, string actor, string summary, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c);
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.MailFiled, summary, null));
    }
}
