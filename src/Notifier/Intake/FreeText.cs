using System.Text;

namespace Notifier.Intake;

/// <summary>
/// The one rule for free text people type (a report's source and note, a close reason, a contact rule's or a
/// suppression's reason), used by the API, the CSV import, the CLI and the dashboard; and the one way text we did
/// not choose (a spam sample's Subject) is made fit to show. Such text ends up in notices, the timeline, logs and
/// terminals, where control characters (NUL, ESC sequences, bare CR) corrupt or forge what is shown.
/// </summary>
public static class FreeText
{
    public const int MaxSourceLength = 200;
    public const int MaxNoteLength = 2000;
    public const int MaxReasonLength = 500;

    private const char Ellipsis = '…';

    /// <summary>
    /// Trims a typed field (empty becomes null) and refuses it when longer than <paramref name="maxLength"/> or when
    /// it holds control characters (tabs are fine; line breaks only where <paramref name="allowLineBreaks"/>).
    /// </summary>
    public static IntakeError? Check(string field, ref string? value, int maxLength, bool allowLineBreaks)
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

    /// <summary>
    /// Makes text nobody typed (a sample's header) fit for a one-line field: every run of control characters and
    /// white space becomes one space, and text longer than <paramref name="maxLength"/> is cut with an ellipsis. It is
    /// evidence, not input to refuse: the raw sample keeps the original. Null or blank gives null.
    /// </summary>
    public static string? Summarize(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        if (string.IsNullOrWhiteSpace(text)) return null;
        var sb = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var space = false;
        foreach (var c in text)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space) sb.Append(' ');
            space = false;
            sb.Append(c);
            if (sb.Length > maxLength) break;
        }
        if (sb.Length == 0) return null;
        if (sb.Length <= maxLength) return sb.ToString();
        // Cut before the ellipsis, and never between the halves of a surrogate pair.
        var cut = maxLength - 1;
        if (char.IsLowSurrogate(sb[cut])) cut--;
        return sb.ToString(0, cut).TrimEnd() + Ellipsis;
    }
}
