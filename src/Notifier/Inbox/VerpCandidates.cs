using MimeKit;
using Notifier.Probing;

namespace Notifier.Inbox;

/// <summary>Where a received bounce shows the VERP return path (<see cref="VerpAddress"/>) it was sent to.</summary>
public static class VerpCandidates
{
    /// <summary>
    /// The envelope recipient of a bounce as the receiving MTA recorded it (Postfix <c>X-Original-To</c> and
    /// <c>Delivered-To</c>, Exim <c>Envelope-To</c>), then To: every VERP-shaped address among them.
    /// </summary>
    public static IEnumerable<string> Of(MimeMessage message)
    {
        foreach (var name in new[] { "X-Original-To", "Delivered-To", "Envelope-To" })
        {
            foreach (var h in message.Headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                var value = h.Value.Trim().Trim('<', '>');
                if (VerpAddress.IsVerp(value)) yield return value;
            }
        }
        foreach (var to in message.To.Mailboxes)
        {
            if (VerpAddress.IsVerp(to.Address)) yield return to.Address;
        }
    }
}
