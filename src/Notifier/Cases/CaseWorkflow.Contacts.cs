using Notifier.Contacts;

namespace Notifier.Cases;

/// <summary>
/// The contact steps of the case state machine: pure, they set what is due and write the timeline. Contacts looks
/// up and ranks; what that means for the case is recorded here.
/// </summary>
public static partial class CaseWorkflow
{
    /// <summary>
    /// An operator (or the API) asks for a lookup. When nothing else is due the lookup is scheduled on the case,
    /// so the dispatcher runs it even if the job below is lost; returns false when another action (a probe
    /// retry) holds the case's schedule, and the caller enqueues the job directly instead.
    /// </summary>
    public static bool RequestContactLookup(Case c, string actor, DateTimeOffset now, string why)
    {
        c.UpdatedAt = now;
        c.Events.Add(Event(now, actor, CaseEventKind.Note, $"Contact lookup requested: {why}", null));
        if (c.NextAction is not (null or CaseAction.LookupContacts)) return false;
        c.NextAction = CaseAction.LookupContacts;
        c.NextActionAt = now;
        return true;
    }

    /// <summary>
    /// The dispatcher hands a due lookup to a job. The action stays due, moved <paramref name="lease"/> ahead: if
    /// the job is lost (a restart with in-memory job storage) the dispatcher enqueues it again then, and until
    /// then it does not enqueue a second copy.
    /// </summary>
    public static void ContactLookupDispatched(Case c, DateTimeOffset now, TimeSpan lease)
    {
        c.NextActionAt = now + lease;
    }

    /// <summary>
    /// The lookup is recorded: its summary on the timeline, the RDAP network that names the address on the case (what
    /// the statistics group by; kept when a later lookup finds none), and the lookup no longer due.
    /// </summary>
    public static void ContactsLookedUp(Case c, RankedContacts ranked, string summary, string? network, DateTimeOffset now)
    {
        c.UpdatedAt = now;
        if (network is not null) c.Network = network;
        var kind = ranked.Chosen is null ? CaseEventKind.ContactsNotFound : CaseEventKind.ContactsFound;
        var data = CaseContactJson.Serialize(new
        {
            chosen = ranked.Chosen?.Address,
            candidates = ranked.Candidates.Select(x => new { x.Rank, x.Address, x.Source, x.Status, x.Reason }),
        });
        c.Events.Add(Event(now, System, kind, summary, data));
        if (c.NextAction == CaseAction.LookupContacts)
        {
            c.NextAction = null;
            c.NextActionAt = null;
        }
    }
}
