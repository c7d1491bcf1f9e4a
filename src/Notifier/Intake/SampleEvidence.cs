namespace Notifier.Intake;

/// <summary>What a case shows about a spam sample: its headers as written (by the spammer) and the sample's fingerprint.</summary>
/// <param name="Sha256">Lower-case hex SHA-256 of the raw .eml bytes: the same sample reported twice has the same value.</param>
public sealed record SampleEvidence(string? Subject, string? From, DateTimeOffset? Date, string? MessageId, int SizeBytes, string Sha256);
