namespace Notifier.Contacts;

/// <summary>One step of provenance: what was asked (DNS question, RDAP URL, rule) and what came back.</summary>
public sealed record ContactEvidence(string Query, string Answer);
