namespace Notifier.Intake;

/// <summary>
/// Why input was refused, naming the field at fault (<c>address</c>, <c>port</c>, <c>source</c>, <c>note</c>,
/// <c>row</c>, <c>file</c>, <c>sample</c>) so that an API handler can return it as a ProblemDetails validation error
/// and the CLI can print it as is.
/// </summary>
public sealed record IntakeError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
