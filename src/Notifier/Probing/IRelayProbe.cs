namespace Notifier.Probing;

/// <summary>Probes one target for open relaying. Used by the CLI directly and by the probe jobs.</summary>
public interface IRelayProbe
{
    /// <exception cref="ProbeRequestException">The target cannot be probed as given (bad name, refused range).</exception>
    /// <exception cref="ProbeThrottledException">The target was probed too recently.</exception>
    Task<ProbeResult> ProbeAsync(ProbeRequest request, CancellationToken cancellationToken);

    /// <summary>One further test message through one variant, with a new token of the same probe (the first canary did not arrive).</summary>
    /// <exception cref="ProbeRequestException">The target cannot be probed, or the variant does not exist.</exception>
    /// <exception cref="ProbeThrottledException">The target was probed too recently.</exception>
    Task<ProbeResult> SendTestMessageAsync(TestMessageRequest request, CancellationToken cancellationToken);
}
