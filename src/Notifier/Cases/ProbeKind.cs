namespace Notifier.Cases;

/// <summary>What a probe is for (<see cref="Probe.Kind"/>), stored as these words.</summary>
public static class ProbeKind
{
    /// <summary>Is this an open relay? Probes a reported relay, and sends the signed test message that proves it.</summary>
    public const string Initial = "initial";

    /// <summary>Is the notified relay still open? RCPT only, through the variants that relayed, no test message.</summary>
    public const string Retest = "retest";
}

/// <summary>What a retest found (<see cref="Probe.RetestOutcome"/>), stored as these words.</summary>
public static class RetestOutcome
{
    /// <summary>A variant that relayed before still accepted a recipient at our canary domain.</summary>
    public const string Open = "open";

    /// <summary>Every variant that relayed before was refused for good (5xx, or authentication required).</summary>
    public const string Closed = "closed";

    /// <summary>
    /// Nothing either way: only temporary refusals (greylisting that never let us through), no SMTP session, a
    /// protocol error. Never counted as fixed.
    /// </summary>
    public const string Inconclusive = "inconclusive";
}
