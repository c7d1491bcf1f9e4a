using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Intake;

namespace Notifier.Cases;

/// <summary>
/// An operator closes a case with a reason and a note: the rules written once for <c>POST /api/cases/{id}/close</c>
/// and the case list's bulk close. The reason is one of <see cref="CloseReason.ForOperators"/> (a mistyped one never
/// closes a case under the wrong reason); the note is checked free text on one line.
/// </summary>
public static class CaseClosing
{
    /// <summary>The error for a reason or note that cannot be used, else null (the note trimmed, empty as null).</summary>
    public static IntakeError? Check(ref string? reason, ref string? note)
    {
        if (FreeText.Check("reason", ref reason, FreeText.MaxReasonLength, allowLineBreaks: false) is { } error) return error;
        if (FreeText.Check("note", ref note, FreeText.MaxReasonLength, allowLineBreaks: false) is { } noteError) return noteError;
        if (reason is null || !CloseReason.ForOperators.Contains(reason, StringComparer.Ordinal))
            return new IntakeError("reason", $"must be one of {string.Join(", ", CloseReason.ForOperators)}");
        return null;
    }

    /// <summary>
    /// Closes the case (a checked <paramref name="reason"/>, see <see cref="Check"/>); a closed case stays as it is.
    /// Returns the case, or null when there is no such case; <c>WasClosed</c> says it was closed already.
    /// </summary>
    public static async Task<(Case? Case, bool WasClosed)> CloseAsync(NotifierDb db, int id, string actor, string reason, string? note, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        Case? c = null;
        var wasClosed = false;
        await CasesApi.OperatorWinsAsync(db, async () =>
        {
            c = await db.Cases.SingleOrDefaultAsync(x => x.Id == id, ct);
            if (c is null) return;
            wasClosed = c.State == CaseState.Closed;
            if (!wasClosed) CaseWorkflow.Close(c, actor, reason, note, now);
            await db.SaveChangesAsync(ct);
        });
        return (c, wasClosed);
    }
}
