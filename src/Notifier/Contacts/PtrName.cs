namespace Notifier.Contacts;

/// <summary>A PTR name of the IP and whether its A/AAAA records contain the IP again (forward-confirmed).</summary>
public sealed record PtrName(string Name, bool ForwardConfirmed, IReadOnlyList<ContactEvidence> Evidence);
