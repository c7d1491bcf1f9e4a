namespace Notifier.Probing;

/// <summary>
/// The verdict and its reason from what a dialogue established. A pure function: the same facts always give the
/// same words, so every verdict is tested from a table (ProbeJudgeTests) and the dialogue only gathers facts.
/// </summary>
internal static class ProbeJudge
{
    public static (string Verdict, string Reason) Judge(ProbeFacts facts)
    {
        var (verdict, reason) = JudgeVariants(facts);
        // A failed handshake changes what the verdict rests on (clear-text sessions only): say so, once.
        if (facts.TlsFailure is { } tlsFailure && !reason.Contains(tlsFailure, StringComparison.Ordinal))
            reason += $" The STARTTLS handshake failed ({tlsFailure}); later sessions ran in clear text without trying TLS again.";
        return (verdict, reason);
    }

    /// <summary>
    /// The class of the variant the test message went through, else the strongest accepted one
    /// (<see cref="VariantClass.Strength"/>); null when nothing was accepted.
    /// </summary>
    public static string? AcceptedClass(ProbeFacts facts) => facts.DataVariant is not null
        ? facts.Variants.First(r => r.Name == facts.DataVariant).Class
        : facts.Accepted.OrderByDescending(r => VariantClass.Strength(r.Class)).FirstOrDefault()?.Class;

    private static (string Verdict, string Reason) JudgeVariants(ProbeFacts facts)
    {
        var results = facts.Variants;
        var accepted = facts.Accepted;
        if (accepted.Count > 0)
        {
            var used = facts.DataVariant is null ? accepted[0] : results.First(r => r.Name == facts.DataVariant);
            var strongest = accepted.Max(a => VariantClass.Strength(a.Class));
            var weaker = strongest < VariantClass.Strength(VariantClass.Direct)
                ? $" Only {string.Join(" and ", accepted.Select(a => a.Class).Distinct())} address forms were accepted: many servers accept those and then deliver to themselves, so only the canary's arrival proves relaying."
                : "";
            var count = $"{accepted.Count} of {facts.VariantsTried} variants tried were accepted";
            if (facts.DataAccepted)
                return (ProbeVerdict.DataAccepted,
                    $"The server accepted a recipient at {facts.CanaryDomain} (variant {used.Name}, {used.Class}) and queued the test message ({facts.DataReply}); {count}.{weaker}");
            if (facts.Mode == ProbeMode.RcptOnly)
                return (ProbeVerdict.RcptAccepted,
                    $"The server accepted a recipient at {facts.CanaryDomain} (variant {used.Name}, {used.Class}); rcpt-only check, so no test message was sent; {count}.{weaker}");
            return (ProbeVerdict.RcptAccepted,
                $"The server accepted a recipient at {facts.CanaryDomain} (variant {used.Name}, {used.Class}) but not the test message ({facts.DataReply ?? "DATA not reached"}); {count}.{weaker}");
        }

        switch (facts.Stop)
        {
            case ProbeStop.Unreachable:
                return (ProbeVerdict.Unreachable, $"No SMTP session with {facts.Target}: {facts.StopDetail}.");
            case ProbeStop.Timeout:
                return (ProbeVerdict.ProtocolError, $"{facts.Target} accepted the connection but sent no SMTP banner: {facts.StopDetail}.");
            case ProbeStop.BannerTemporary:
                return (ProbeVerdict.TempRefused, $"The server turned the session away for now: {facts.StopDetail}. Retry later.");
            case ProbeStop.BannerPermanent:
                return (ProbeVerdict.Closed, $"The server refuses sessions from us: {facts.StopDetail}.");
            case ProbeStop.TlsFailed:
                return (ProbeVerdict.ProtocolError,
                    $"The server requires STARTTLS and the TLS handshake failed ({facts.TlsFailure}); TLS was not tried again on later sessions, so no relay test could be completed ({facts.VariantsTried} of {results.Count} variants tried).");
        }

        var tried = results.Where(r => r.Outcome is not (VariantOutcome.NotTried or VariantOutcome.ConnectionLost)).ToList();
        if (tried.Count == 0)
            return (ProbeVerdict.ProtocolError, $"No relay test could be completed: {facts.StopDetail ?? "the connection kept dropping"}.");
        var refused = tried.Count(r => r.Outcome is VariantOutcome.Refused or VariantOutcome.SenderRefused);
        var auth = tried.Count(r => r.Outcome == VariantOutcome.AuthRequired);
        var temp = tried.Count(r => r.Outcome == VariantOutcome.Temporary);
        var tls = tried.Count(r => r.Outcome == VariantOutcome.TlsRequired);
        var partial = facts.Stop == ProbeStop.None ? "" : $" The dialogue ended early ({facts.StopDetail}).";
        var attempted = facts.VariantsTried;
        if (attempted < results.Count && (auth == tried.Count || refused > 0))
            // Refusals so far say nothing about the variants not tried: a cut-off probe is retried, never "closed".
            return (ProbeVerdict.Incomplete,
                $"The dialogue stopped after {attempted} of {results.Count} relay-test variants ({facts.StopDetail}); so far {refused} refused, {auth} wanted authentication, {temp} deferred (e.g. {FirstRefusal(tried)}). Not judged closed: retry later.");
        if (auth == tried.Count)
            return (ProbeVerdict.AuthRequired, $"The server demands authentication before it takes mail ({tried[0].RcptReply ?? tried[0].MailReply}); {tried.Count} variants tried.{partial}");
        if (refused > 0 && temp > 0)
            // A deferral says nothing about relaying: a greylisting server defers the well-formed variants and may
            // reject odd address forms on syntax at once. "Closed" would drop a relay we never got to test, so
            // the probe is retried (with the same envelope, as greylisting wants) instead.
            return (ProbeVerdict.TempRefused,
                $"The server deferred {temp} of {tried.Count} relay attempts with a temporary error ({FirstTemporary(tried)}) and refused {refused}: not judged closed while some were only deferred; retry later.{partial}");
        if (refused > 0)
            return (ProbeVerdict.Closed, $"The server refused every relay attempt: {refused} refused, {auth} wanted authentication, {temp} deferred, of {tried.Count} tried (e.g. {FirstRefusal(tried)}).{partial}");
        if (tls > 0 && temp == 0)
            return (ProbeVerdict.ProtocolError, $"The server requires STARTTLS and TLS could not be negotiated ({facts.TlsFailure ?? "not offered"}).{partial}");
        return (ProbeVerdict.TempRefused, $"The server deferred every relay attempt with a temporary error ({FirstRefusal(tried)}): retry later.{partial}");
    }

    private static string FirstTemporary(List<VariantResult> tried) =>
        tried.Where(r => r.Outcome == VariantOutcome.Temporary).Select(r => r.RcptReply ?? r.MailReply).FirstOrDefault(x => x is not null) ?? "no reply";

    private static string FirstRefusal(List<VariantResult> tried) =>
        tried.Select(r => r.RcptReply ?? r.MailReply).FirstOrDefault(x => x is not null) ?? "no reply";
}
