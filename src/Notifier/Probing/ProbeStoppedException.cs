namespace Notifier.Probing;

/// <summary>
/// The dialogue cannot go on (no session, refused greeting, too many drops, TLS demanded after it broke). Not an
/// error of the probe: the dialogue records <see cref="Stop"/> and the verdict is judged from what was learnt.
/// </summary>
internal sealed class ProbeStoppedException(ProbeStop stop, string detail) : Exception(detail)
{
    public ProbeStop Stop { get; } = stop;

    /// <summary>The one-line cause, as written to the transcript.</summary>
    public string Detail { get; } = detail;

    /// <summary>Writes the cause to the transcript and returns the exception to throw.</summary>
    public static ProbeStoppedException Log(Transcript transcript, ProbeStop stop, string detail)
    {
        transcript.Error(detail);
        return new ProbeStoppedException(stop, detail);
    }
}
