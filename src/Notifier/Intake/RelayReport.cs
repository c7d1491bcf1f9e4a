using System.Diagnostics.CodeAnalysis;

namespace Notifier.Intake;

/// <summary>
/// One report of a suspected relay, as the API (<c>POST /api/cases</c>), the CLI and each CSV row carry it:
/// validated the same way everywhere, so a row that the API would refuse is refused by the import too.
/// </summary>
public sealed record RelayReport(RelayAddress Relay, string? Source, string? Note)
{
    public const int MaxSourceLength = FreeText.MaxSourceLength;
    public const int MaxNoteLength = FreeText.MaxNoteLength;

    /// <summary>Validates an API body against the <paramref name="targets"/> policy. The first problem found is returned, in field order: address, port, target, source, note.</summary>
    public static bool TryCreate(string? address, int? port, string? source, string? note, TargetPolicy targets,
        [NotNullWhen(true)] out RelayReport? report, [NotNullWhen(false)] out IntakeError? error)
    {
        report = null;
        return RelayAddress.TryParse(address, port, out var relay, out error)
            && TryComplete(relay, source, note, targets, out report, out error);
    }

    /// <summary>Validates text fields (a CSV row, CLI arguments); an empty port means 25.</summary>
    public static bool TryCreate(string? address, string? port, string? source, string? note, TargetPolicy targets,
        [NotNullWhen(true)] out RelayReport? report, [NotNullWhen(false)] out IntakeError? error)
    {
        report = null;
        return RelayAddress.TryParse(address, port, out var relay, out error)
            && TryComplete(relay, source, note, targets, out report, out error);
    }

    private static bool TryComplete(RelayAddress relay, string? source, string? note, TargetPolicy targets,
        [NotNullWhen(true)] out RelayReport? report, [NotNullWhen(false)] out IntakeError? error)
    {
        report = null;
        error = targets.Check(relay)
            ?? FreeText.Check("source", ref source, MaxSourceLength, allowLineBreaks: false)
            ?? FreeText.Check("note", ref note, MaxNoteLength, allowLineBreaks: true);
        if (error is not null) return false;
        report = new RelayReport(relay, source, note);
        return true;
    }
}
