namespace Notifier.Probing;

/// <summary>
/// How far one dialogue got: the variants as tried, why it stopped, and the test message. The only mutable state
/// of the variant loop; frozen into <see cref="ProbeFacts"/> when the dialogue ends.
/// </summary>
internal sealed class ProbeProgress
{
    public List<VariantResult> Results { get; } = [];

    public ProbeStop Stop { get; private set; }

    public string? StopDetail { get; private set; }

    /// <summary>The variant the test message went through (set when it is attempted, whatever the outcome).</summary>
    public string? DataVariant { get; set; }

    public string? DataReply { get; set; }

    public bool DataAccepted { get; set; }

    public string? MessageId { get; set; }

    /// <summary>The test message exactly as submitted.</summary>
    public string? TestMessage { get; set; }

    public bool Stopped => Stop != ProbeStop.None;

    public void StoppedBy(ProbeStop stop, string detail)
    {
        Stop = stop;
        StopDetail = detail;
    }
}
