using System.Diagnostics.CodeAnalysis;

namespace Notifier.Intake;

/// <summary>
/// One report of a suspected relay, as the API (<c>POST /api/cases</c>), the CLI and each CSV row carry it:
/// validated the same way everywhere, so a row that the API would refuse is refused by the import too.
/// </summary>
public sealed record RelayReport(RelayAddress Relay, string? Source, string? Note)
{
    public const int MaxSourceLength = 200;
    public const int MaxNoteLength = 2000;

    /// <summary>Validates an API body. The first problem found is returned, in field order: address, port, target, source, note.</summary>
    public static bool TryCreate(string? address, int? port, string? source, string? note, bool allowPrivateTargets,
        [NotNullWhen(true)] out RelayReport? report, [NotNullWhen(false)] out IntakeError? error)
    {
        report = null;
        return RelayAddress.TryParse(address, port, out var relay, out error)
            && TryComplete(relay, source, note, allowPrivateTargets, out report, out error);
    }

    /// <summary>Validates text fields (a CSV row, CLI arguments); an empty port means 25.</summary>
    public static bool TryCreate(string? address, string? port, string? source, string? note, bool allowPrivateTargets,
        [NotNullWhen(true)] out RelayReport? report, [NotNullWhen(false)] out IntakeError? error)
    {
        report = null;
        return RelayAddress.TryParse(address, port, out var relay, out error)
            && TryComplete(relay, source, note, allowPrivateTargets, out report, out error);
    }

    private static bool TryComplete(RelayAddress relay, string? source, string? note, bool allowPrivateTargets,
        [NotNullWhen(true)] out RelayReport? report, [NotNullWhen(false)] out IntakeError? error)
    {
        report = null;
        error = relay.CheckTarget(allowPrivateTargets)
            ?? CheckText("source", ref source, MaxSourceLength, allowLineBreaks: false)
            ?? CheckText("note", ref note, MaxNoteLength, allowLineBreaks: true);
        if (error is not null) return false;
        report = new RelayReport(relay, source, note);
        return true;
    }

    /// <summary>Trims; empty becomes null. Control characters are refused: they end up in notices and logs.</summary>
    private static IntakeError? CheckText(string field, ref string? value, int maxLength, bool allowLineBreaks)
    {
        value = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        if (value is null) return null;
        if (value.Length > maxLength) return new IntakeError(field, $"must be at most {maxLength} characters");
        foreach (var c in value)
        {
            if (char.IsControl(c) && !(c == '\t' || (allowLineBreaks && c is '\r' or '\n')))
                return new IntakeError(field, allowLineBreaks ? "must not contain control characters other than tabs and line breaks" : "must not contain control characters or line breaks");
        }
        return null;
    }
}
