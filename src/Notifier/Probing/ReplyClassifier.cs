using System.Text.RegularExpressions;

namespace Notifier.Probing;

/// <summary>Reads what a refusal means. 250/251 accept (RFC 5321 §4.2.2), 4xx is temporary, 5xx permanent, with
/// the exceptions relay testers get wrong: a 530 asking for STARTTLS is not "authentication required" until TLS
/// has been tried (nmap aborts on any 530), and Postfix's default <c>defer_unauth_destination</c> answers a relay
/// attempt with <c>454 4.7.1 Relay access denied</c>, which is a policy refusal and not a reason to retry.</summary>
public static partial class ReplyClassifier
{
    public static string ClassifyRecipient(SmtpReply reply) => reply.Code switch
    {
        250 or 251 => VariantOutcome.Accepted,
        _ when WantsTls(reply) => VariantOutcome.TlsRequired,
        _ when WantsAuth(reply) => VariantOutcome.AuthRequired,
        _ when reply.IsTransient && IsRelayDenial(reply) => VariantOutcome.Refused,
        _ when reply.IsTransient => VariantOutcome.Temporary,
        _ => VariantOutcome.Refused,
    };

    public static string ClassifySender(SmtpReply reply) => reply.Code switch
    {
        _ when WantsTls(reply) => VariantOutcome.TlsRequired,
        _ when WantsAuth(reply) => VariantOutcome.AuthRequired,
        _ when reply.IsTransient => VariantOutcome.Temporary,
        _ => VariantOutcome.SenderRefused,
    };

    /// <summary>RFC 3207 §4: 530 "Must issue a STARTTLS command first".</summary>
    public static bool WantsTls(SmtpReply reply) =>
        reply.Code == 530 && TlsRegex().IsMatch(reply.Text) || reply.IsPermanent && StartTlsRegex().IsMatch(reply.Text);

    /// <summary>RFC 4954 §6: 530 5.7.0 Authentication required, and the texts MTAs use for it.</summary>
    public static bool WantsAuth(SmtpReply reply) =>
        reply.Code is 530 or 535 || reply.Code >= 500 && AuthRegex().IsMatch(reply.Text);

    /// <summary>Relay refusals across MTAs (after sisimai's NoRelaying reason).</summary>
    public static bool IsRelayDenial(SmtpReply reply) => RelayDeniedRegex().IsMatch(reply.Text);

    [GeneratedRegex(@"TLS|SSL|encrypt", RegexOptions.IgnoreCase)]
    private static partial Regex TlsRegex();

    [GeneratedRegex(@"STARTTLS", RegexOptions.IgnoreCase)]
    private static partial Regex StartTlsRegex();

    [GeneratedRegex(@"authenticat|\bSMTP AUTH\b|\bAUTH first\b|not authenticated", RegexOptions.IgnoreCase)]
    private static partial Regex AuthRegex();

    [GeneratedRegex(@"relay(ing)? (access )?(denied|not (permitted|allowed))|not permitted to relay|unable to relay|relaying (is )?(prohibited|disallowed|denied)|rcpthosts|we do not relay|cannot deliver mail for|no relaying|relay not permitted|not allowed to relay", RegexOptions.IgnoreCase)]
    private static partial Regex RelayDeniedRegex();
}
