using Notifier.Intake;

namespace Notifier.Pages.Owner;

/// <summary>
/// The first step of "don't contact us again" (<c>_OptOutAsk</c>): shown by <c>/r/&lt;token&gt;/opt-out</c> and by a GET of
/// the notices' List-Unsubscribe URL (<c>/r/&lt;token&gt;/unsubscribe</c>, a person who clicked it); it posts to the
/// opt-out page either way.
/// </summary>
public sealed record OptOutAsk(OwnerVisit Visit, string? Reason, IntakeError? Error);
