namespace Notifier.Probing;

/// <summary>
/// How strongly an accepted variant shows relaying. Order matters: the probe tries stronger classes first.
/// </summary>
public static class VariantClass
{
    /// <summary>RCPT names the canary domain directly: acceptance means the server took mail for a stranger's domain.</summary>
    public const string Direct = "direct";

    /// <summary>
    /// RFC 5321 §3.6.1 source route (<c>@relay:user@dest</c>): a server that accepts it SHOULD deliver to the final
    /// destination, so it relays, but many servers strip or mangle the route.
    /// </summary>
    public const string SourceRoute = "source-route";

    /// <summary>
    /// Addresses that route through the target's own domain (percent hack, bang path, double @, quoted local
    /// part). Many servers accept <c>x%y@own-domain</c> at RCPT and then deliver it to themselves or bounce it,
    /// so acceptance is weaker evidence until the canary arrives.
    /// </summary>
    public const string Routed = "routed";

    public static int Strength(string cls) => cls switch
    {
        Direct => 3,
        SourceRoute => 2,
        _ => 1,
    };
}
