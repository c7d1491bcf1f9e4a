namespace Notifier.Contacts;

/// <summary>An address a notice bounced from (a DSN seen by the inbox poller), so the next candidate is chosen.</summary>
public sealed record BouncedContact(string Address, DateTimeOffset At, string? Diagnostic = null);
