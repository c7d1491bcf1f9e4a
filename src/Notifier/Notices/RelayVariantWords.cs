namespace Notifier.Notices;

/// <summary>
/// The one place that says in plain words what accepting each relay-test variant (Probing/RelayVariants) means,
/// in each notice language. A test builds every variant the probe can produce and checks each has words here.
/// </summary>
public static class RelayVariantWords
{
    /// <summary>The prefix of the partially-open test; the rest of the name is the domain the sender claimed.</summary>
    public const string OwnDomainPrefix = "sender-own-domain-postmaster:";

    private static readonly Dictionary<string, (string English, string German)> Words = new(StringComparer.Ordinal)
    {
        ["plain"] = (
            "accepted mail for an outside domain from any sender",
            "hat E-Mail für eine fremde Domain von einem beliebigen Absender angenommen"),
        ["null-sender"] = (
            "accepted mail for an outside domain from the empty (bounce) sender <>",
            "hat E-Mail für eine fremde Domain vom leeren Absender <> (dem Absender von Unzustellbarkeitsmeldungen) angenommen"),
        ["sender-target-host"] = (
            "relays when the sender claims to be the server itself (its own host name)",
            "leitet weiter, wenn der Absender vorgibt, der Server selbst zu sein (mit dessen eigenem Hostnamen)"),
        ["sender-ip-literal"] = (
            "relays when the sender is given as the server's own IP address in brackets (an IP-literal sender)",
            "leitet weiter, wenn der Absender als eigene IP-Adresse des Servers in eckigen Klammern angegeben ist (IP-Literal)"),
        ["sender-unqualified"] = (
            "relays for a sender without any domain (an unqualified sender)",
            "leitet für einen Absender ganz ohne Domain weiter (unqualifizierter Absender)"),
        ["sender-localhost"] = (
            "relays when the sender claims to be at localhost",
            "leitet weiter, wenn der Absender vorgibt, von localhost zu kommen"),
        ["source-route-ip"] = (
            "accepted a source route through its IP address (@[address]:user@outside-domain)",
            "hat eine Source-Route über seine IP-Adresse angenommen (@[Adresse]:nutzer@fremde-domain)"),
        ["source-route-host"] = (
            "accepted a source route through its host name (@host:user@outside-domain)",
            "hat eine Source-Route über seinen Hostnamen angenommen (@host:nutzer@fremde-domain)"),
        ["percent-hack"] = (
            "accepted the percent hack (user%outside-domain@your-server)",
            "hat den Prozent-Trick angenommen (nutzer%fremde-domain@ihr-server)"),
        ["percent-ip-literal"] = (
            "accepted the percent hack addressed to its IP address (user%outside-domain@[address])",
            "hat den Prozent-Trick an seine IP-Adresse angenommen (nutzer%fremde-domain@[Adresse])"),
        ["percent-host"] = (
            "accepted the percent hack addressed to its host name (user%outside-domain@host)",
            "hat den Prozent-Trick an seinen Hostnamen angenommen (nutzer%fremde-domain@host)"),
        ["quoted-at"] = (
            "accepted a quoted address hiding an outside domain (\"user@outside-domain\")",
            "hat eine Adresse in Anführungszeichen angenommen, die eine fremde Domain verbirgt (\"nutzer@fremde-domain\")"),
        ["quoted-percent"] = (
            "accepted a quoted percent-hack address without a domain (\"user%outside-domain\")",
            "hat eine Prozent-Trick-Adresse in Anführungszeichen ohne Domain angenommen (\"nutzer%fremde-domain\")"),
        ["double-at-ip"] = (
            "accepted an address with two @ signs addressed to its IP address (user@outside-domain@[address])",
            "hat eine Adresse mit zwei @-Zeichen an seine IP-Adresse angenommen (nutzer@fremde-domain@[Adresse])"),
        ["quoted-at-ip"] = (
            "accepted a quoted address with an outside domain addressed to its IP address (\"user@outside-domain\"@[address])",
            "hat eine Adresse in Anführungszeichen mit fremder Domain an seine IP-Adresse angenommen (\"nutzer@fremde-domain\"@[Adresse])"),
        ["double-at-host"] = (
            "accepted an address with two @ signs addressed to its host name (user@outside-domain@host)",
            "hat eine Adresse mit zwei @-Zeichen an seinen Hostnamen angenommen (nutzer@fremde-domain@host)"),
        ["bang-path"] = (
            "accepted a UUCP bang path (outside-domain!user)",
            "hat einen UUCP-Bang-Pfad angenommen (fremde-domain!nutzer)"),
        ["bang-path-ip"] = (
            "accepted a UUCP bang path addressed to its IP address (outside-domain!user@[address])",
            "hat einen UUCP-Bang-Pfad an seine IP-Adresse angenommen (fremde-domain!nutzer@[Adresse])"),
        ["bang-path-host"] = (
            "accepted a UUCP bang path addressed to its host name (outside-domain!user@host)",
            "hat einen UUCP-Bang-Pfad an seinen Hostnamen angenommen (fremde-domain!nutzer@host)"),
    };

    /// <summary>Whether the variant has its own words (the test's question; <see cref="Describe"/> never fails).</summary>
    public static bool IsKnown(string variant) =>
        Words.ContainsKey(variant) || (variant.StartsWith(OwnDomainPrefix, StringComparison.Ordinal) && variant.Length > OwnDomainPrefix.Length);

    /// <summary>What accepting the variant means, completing "The server …", in the notice's language.</summary>
    public static string Describe(string variant, string? language)
    {
        var german = NoticeLanguage.Normalize(language) == NoticeLanguage.German;
        if (variant.StartsWith(OwnDomainPrefix, StringComparison.Ordinal) && variant.Length > OwnDomainPrefix.Length)
        {
            var domain = variant[OwnDomainPrefix.Length..];
            return german
                ? $"leitet weiter, wenn der Absender vorgibt, aus Ihrer eigenen Domain ({domain}) zu kommen"
                : $"relays when the sender claims to be in your own domain ({domain})";
        }
        if (Words.TryGetValue(variant, out var words)) return german ? words.German : words.English;
        // A variant added to the probe before it got words here: still say what happened, with its name.
        return german
            ? $"hat einen Weiterleitungstest angenommen (Variante {variant})"
            : $"accepted a relay test (variant {variant})";
    }
}
