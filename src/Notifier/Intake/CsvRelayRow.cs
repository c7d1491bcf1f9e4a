namespace Notifier.Intake;

/// <summary>A valid CSV row: its line in the file (the line where the record starts) and the report it carries.</summary>
public sealed record CsvRelayRow(int Line, RelayAddress Relay, string? Source, string? Note);
