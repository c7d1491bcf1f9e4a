namespace Notifier.Intake;

/// <summary>
/// Information, not an error: a row naming the same relay (<see cref="RelayAddress.CaseKey"/>) as an earlier row.
/// It collapses into the row at <see cref="FirstLine"/>, whose source and note are the ones imported.
/// </summary>
public sealed record CsvDuplicateRow(int Line, int FirstLine, string CaseKey);
