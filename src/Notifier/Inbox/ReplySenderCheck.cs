using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Contacts;
using Notifier.Data;

namespace Notifier.Inbox;

/// <summary>
/// Whether a reply's sender is proven for the case it threads to. A reply threads by a guessable subject tag and
/// its From is whatever the sender wrote, so both must hold: the From address is a contact of the case (its
/// <see cref="CaseContact"/> rows) or in a contact's domain, AND one of our trusted receivers vouches for that
/// domain (<see cref="SenderAuthentication"/>: DKIM or SPF passed for it).
/// </summary>
public sealed class ReplySenderCheck(NotifierDb db)
{
    public async Task<SenderTrust> TrustAsync(Case c, string? sender, IReadOnlyList<SenderAuthentication.Pass> authenticated, CancellationToken ct)
    {
        if (sender is null) return SenderTrust.Unproven("the reply has no sender address");
        var domain = ContactAddress.DomainOf(sender);
        var contacts = await db.CaseContacts.AsNoTracking().Where(x => x.CaseId == c.Id).Select(x => x.Address).ToListAsync(ct);
        if (!contacts.Any(a => a == sender || ContactAddress.DomainOf(a) == domain))
            return SenderTrust.Unproven($"{sender} is not a contact of {c.Reference} nor in a contact's domain");
        if (SenderAuthentication.For(authenticated, domain) is not { } pass)
            return SenderTrust.Unproven($"no Authentication-Results of a trusted receiver (Inbox:TrustedReceivers) says DKIM or SPF passed for {domain}");
        return SenderTrust.Proven($"sender proven: {pass}");
    }
}
