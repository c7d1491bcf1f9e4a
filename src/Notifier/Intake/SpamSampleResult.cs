using System.Diagnostics.CodeAnalysis;

namespace Notifier.Intake;

/// <summary>
/// The outcome of reading a spam sample: the suspected relay (its connecting IP, port 25), or the
/// <see cref="Problem"/> that prevents naming one; <see cref="Summary"/> says which in a sentence for people.
/// <see cref="Hops"/> and <see cref="Evidence"/> are filled whenever the message could be read.
/// </summary>
public sealed record SpamSampleResult(
    RelayAddress? SuspectedRelay,
    SampleProblem? Problem,
    string Summary,
    IReadOnlyList<ReceivedHop> Hops,
    SampleEvidence? Evidence)
{
    [MemberNotNullWhen(true, nameof(SuspectedRelay))]
    public bool HasSuspect => SuspectedRelay is not null;

    /// <summary>The problem as an error on the field <c>sample</c>, for a 400 answer; null when a relay was found.</summary>
    public IntakeError? Error => Problem is null ? null : new IntakeError("sample", Summary);
}
