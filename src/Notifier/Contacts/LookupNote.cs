namespace Notifier.Contacts;

/// <summary>
/// A lookup that produced nothing or was skipped, and why (timeout, SERVFAIL, RDAP 429, …). Failures become notes,
/// never exceptions, so one broken source costs its candidates and nothing else.
/// </summary>
public sealed record LookupNote(string Source, string Query, string Reason);
