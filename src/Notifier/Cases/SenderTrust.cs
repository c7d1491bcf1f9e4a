namespace Notifier.Cases;

/// <summary>
/// Whether a reply's sender is proven to be who its From says, with the evidence or the reason it is not: a
/// trusted receiver's Authentication-Results for a contact's domain, or an operator who decided.
/// </summary>
public sealed record SenderTrust(bool IsProven, string Why)
{
    public static SenderTrust Proven(string why) => new(true, why);

    public static SenderTrust Unproven(string why) => new(false, why);
}
