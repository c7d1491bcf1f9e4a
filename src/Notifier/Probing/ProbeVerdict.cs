namespace Notifier.Probing;

/// <summary>
/// The verdict names are part of the product's contract (CLI JSON, API, dashboard, stored probes): exactly
/// these strings. <c>confirmed</c>, <c>multihop</c> and <c>accepts-but-drops</c> are given by the inbox work,
/// after the canary message arrives or fails to.
/// </summary>
public static class ProbeVerdict
{
    public const string Unreachable = "unreachable";
    public const string ProtocolError = "protocol-error";
    public const string TempRefused = "temp-refused";
    public const string AuthRequired = "auth-required";
    public const string Closed = "closed";

    /// <summary>
    /// Stopped (total timeout, dropped connections) before every planned variant was tried, with only refusals so
    /// far: not proof of a closed server, so the service retries it like <see cref="TempRefused"/>.
    /// </summary>
    public const string Incomplete = "incomplete";
    public const string RcptAccepted = "rcpt-accepted";
    public const string DataAccepted = "data-accepted";
    public const string Confirmed = "confirmed";
    public const string Multihop = "multihop";
    public const string AcceptsButDrops = "accepts-but-drops";

    /// <summary>True when the server took a recipient at the canary domain: the relay is at least suspected.</summary>
    public static bool IsSuspected(string verdict) =>
        verdict is RcptAccepted or DataAccepted or Confirmed or Multihop;
}
