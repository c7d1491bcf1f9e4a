using Notifier.Cases;
using Notifier.Contacts;

namespace Notifier.Tests.Inbox;

/// <summary>Contacts of a case as a contact lookup records them, for the tests of what a reply from a contact may do.</summary>
public static class TestContacts
{
    public static CaseContact Of(int caseId, string address)
    {
        var now = DateTimeOffset.UtcNow;
        return new CaseContact
        {
            CaseId = caseId,
            Address = address,
            Source = "rfc2142",
            Sources = "rfc2142",
            Tier = "registrable-domain",
            Confidence = "medium",
            Rank = 1,
            EvidenceJson = "[]",
            FirstSeenAt = now,
            LastSeenAt = now,
            RankedAt = now,
        };
    }

    /// <summary>An Authentication-Results value of our trusted receiver saying DKIM passed for the address's domain.</summary>
    public static string DkimPass(string address) =>
        $"{InboxHarness.TrustedReceiver}; dkim=pass header.d={ContactAddress.DomainOf(address)} header.s=mail";
}
