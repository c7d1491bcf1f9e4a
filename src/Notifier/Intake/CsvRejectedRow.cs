namespace Notifier.Intake;

/// <summary>A CSV row that is not imported: its line, the field at fault and why (the first problem found in the row).</summary>
public sealed record CsvRejectedRow(int Line, string Field, string Reason);
