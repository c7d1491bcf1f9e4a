namespace Notifier.Intake;

/// <summary>What a Received hop is in the walk from the top (newest) header down.</summary>
public enum HopRole
{
    /// <summary>Handed over by one of our hosts (a trusted receiver, or loopback: a content filter on the receiving MTA itself). Skipped.</summary>
    Trusted,

    /// <summary>No connection: submitted on the receiving host itself (<c>with local</c>, LMTP, MAPI, or no <c>from</c> part). Skipped.</summary>
    Local,

    /// <summary>The first hop handed over by a host that is not ours: its connecting IP is the suspected relay.</summary>
    Suspect,

    /// <summary>The first hop handed over by a host that is not ours, unusable: a private address, or no IP address at all.</summary>
    Untrusted,

    /// <summary>Below the first untrusted hop: written by the sending side, which can write anything. Never used.</summary>
    Unverified,
}
