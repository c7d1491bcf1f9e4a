using System.Diagnostics.CodeAnalysis;

namespace Notifier.Intake;

/// <summary>
/// What a CSV import holds. Either the file is unreadable (<see cref="Error"/> set, no rows: import nothing), or it
/// was read: <see cref="Rows"/> are to be imported, <see cref="Rejected"/> are reported back with their line numbers,
/// <see cref="Duplicates"/> collapsed into an earlier row.
/// </summary>
public sealed class CsvImportResult
{
    private CsvImportResult(IntakeError? error, IReadOnlyList<CsvRelayRow> rows, IReadOnlyList<CsvRejectedRow> rejected, IReadOnlyList<CsvDuplicateRow> duplicates)
    {
        Error = error;
        Rows = rows;
        Rejected = rejected;
        Duplicates = duplicates;
    }

    /// <summary>Why the file as a whole was refused (field <c>file</c>): too big, empty, not UTF-8, malformed CSV, bad header, too many rows.</summary>
    public IntakeError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;

    /// <summary>Valid rows, one per relay, in file order.</summary>
    public IReadOnlyList<CsvRelayRow> Rows { get; }

    public IReadOnlyList<CsvRejectedRow> Rejected { get; }

    public IReadOnlyList<CsvDuplicateRow> Duplicates { get; }

    internal static CsvImportResult Failed(string message) => new(new IntakeError("file", message), [], [], []);

    internal static CsvImportResult Read(IReadOnlyList<CsvRelayRow> rows, IReadOnlyList<CsvRejectedRow> rejected, IReadOnlyList<CsvDuplicateRow> duplicates) =>
        new(null, rows, rejected, duplicates);
}
