using Notifier.Probing;

namespace Notifier.Tests.Probing;

/// <summary>
/// The verdict as a pure function of what a dialogue established: one row per verdict and per wording the
/// operator reads (the reason texts are the ones the probe has always written; other tests assert parts of them).
/// </summary>
public sealed class ProbeJudgeTests
{
    private const string Target = "192.0.2.25:25";
    private const string Canary = "canary.example.test";
    private const string Refused = "554 5.7.1 <x>: Relay access denied";
    private const string Deferred = "450 4.7.1 <x>: Recipient address rejected: greylisted";
    private const string Auth = "530 5.7.0 Authentication required";

    private static VariantResult Variant(string name, string outcome, string cls = VariantClass.Direct, string? rcpt = null, string? mail = "250 2.1.0 Ok") =>
        new(name, cls, "probe@example.test", $"x@{Canary}", outcome == VariantOutcome.NotTried ? null : mail, rcpt, outcome == VariantOutcome.Accepted, outcome, 1);

    private static ProbeFacts Facts(
        IReadOnlyList<VariantResult> variants, ProbeStop stop = ProbeStop.None, string? stopDetail = null, string? tlsFailure = null,
        bool dataAccepted = false, string? dataReply = null, string? dataVariant = null, ProbeMode mode = ProbeMode.Quick) =>
        new(Target, Canary, variants, stop, stopDetail, tlsFailure, dataAccepted, dataReply, dataVariant, mode);

    private static readonly (string Name, ProbeFacts Facts, string Verdict, string Reason)[] Table =
    [
        ("unreachable", Facts([], ProbeStop.Unreachable, "connect to 192.0.2.25:25 failed: ConnectionRefused"),
            ProbeVerdict.Unreachable, "No SMTP session with 192.0.2.25:25: connect to 192.0.2.25:25 failed: ConnectionRefused."),
        ("no banner", Facts([], ProbeStop.Timeout, "no SMTP banner: no complete reply within 5 s"),
            ProbeVerdict.ProtocolError, "192.0.2.25:25 accepted the connection but sent no SMTP banner: no SMTP banner: no complete reply within 5 s."),
        ("every connection lost",
            Facts([Variant("a", VariantOutcome.ConnectionLost), Variant("b", VariantOutcome.ConnectionLost)]),
            ProbeVerdict.ProtocolError, "No relay test could be completed: the connection kept dropping."),
        ("protocol violation before any answer",
            Facts([Variant("a", VariantOutcome.NotTried)], ProbeStop.ProtocolError, "reply longer than 100 lines"),
            ProbeVerdict.ProtocolError, "No relay test could be completed: reply longer than 100 lines."),
        ("tls demanded after the handshake failed",
            Facts([Variant("a", VariantOutcome.NotTried), Variant("b", VariantOutcome.NotTried)], ProbeStop.TlsFailed,
                "the server demands STARTTLS", tlsFailure: "TLS negotiation failed: bad record"),
            ProbeVerdict.ProtocolError,
            "The server requires STARTTLS and the TLS handshake failed (TLS negotiation failed: bad record); TLS was not tried again on later sessions, so no relay test could be completed (0 of 2 variants tried)."),
        ("tls demanded and not offered",
            Facts([Variant("a", VariantOutcome.TlsRequired, rcpt: "530 5.7.0 Must issue a STARTTLS command first")]),
            ProbeVerdict.ProtocolError, "The server requires STARTTLS and TLS could not be negotiated (not offered)."),
        ("session turned away for now", Facts([], ProbeStop.BannerTemporary, "the server refused the session: 421 4.3.2 busy"),
            ProbeVerdict.TempRefused, "The server turned the session away for now: the server refused the session: 421 4.3.2 busy. Retry later."),
        ("every attempt deferred",
            Facts([Variant("a", VariantOutcome.Temporary, rcpt: Deferred), Variant("b", VariantOutcome.Temporary, rcpt: Deferred)]),
            ProbeVerdict.TempRefused, $"The server deferred every relay attempt with a temporary error ({Deferred}): retry later."),
        ("refusals mixed with deferrals",
            Facts([Variant("a", VariantOutcome.Refused, rcpt: Refused), Variant("b", VariantOutcome.Temporary, rcpt: Deferred), Variant("c", VariantOutcome.Temporary, rcpt: Deferred)]),
            ProbeVerdict.TempRefused,
            $"The server deferred 2 of 3 relay attempts with a temporary error ({Deferred}) and refused 1: not judged closed while some were only deferred; retry later."),
        ("authentication demanded",
            Facts([Variant("a", VariantOutcome.AuthRequired, rcpt: Auth), Variant("b", VariantOutcome.AuthRequired, rcpt: Auth)]),
            ProbeVerdict.AuthRequired, $"The server demands authentication before it takes mail ({Auth}); 2 variants tried."),
        ("sessions refused", Facts([], ProbeStop.BannerPermanent, "the server refused the session: 554 5.7.1 no"),
            ProbeVerdict.Closed, "The server refuses sessions from us: the server refused the session: 554 5.7.1 no."),
        ("every attempt refused",
            Facts([Variant("a", VariantOutcome.Refused, rcpt: Refused), Variant("b", VariantOutcome.SenderRefused, mail: "553 5.1.8 sender rejected")]),
            ProbeVerdict.Closed, $"The server refused every relay attempt: 2 refused, 0 wanted authentication, 0 deferred, of 2 tried (e.g. {Refused})."),
        ("refused, ended early after the last variant",
            Facts([Variant("a", VariantOutcome.Refused, rcpt: Refused)], ProbeStop.ProtocolError, "the probe exceeded its total time of 60 s"),
            ProbeVerdict.Closed,
            $"The server refused every relay attempt: 1 refused, 0 wanted authentication, 0 deferred, of 1 tried (e.g. {Refused}). The dialogue ended early (the probe exceeded its total time of 60 s)."),
        ("cut off with refusals so far",
            Facts([Variant("a", VariantOutcome.Refused, rcpt: Refused), Variant("b", VariantOutcome.NotTried), Variant("c", VariantOutcome.NotTried)],
                ProbeStop.ProtocolError, "the probe exceeded its total time of 3 s"),
            ProbeVerdict.Incomplete,
            $"The dialogue stopped after 1 of 3 relay-test variants (the probe exceeded its total time of 3 s); so far 1 refused, 0 wanted authentication, 0 deferred (e.g. {Refused}). Not judged closed: retry later."),
        ("recipient accepted, DATA not reached",
            Facts([Variant("a", VariantOutcome.Refused, rcpt: Refused), Variant("direct-plain", VariantOutcome.Accepted, rcpt: "250 2.1.5 Ok")]),
            ProbeVerdict.RcptAccepted,
            $"The server accepted a recipient at {Canary} (variant direct-plain, direct) but not the test message (DATA not reached); 1 of 2 variants tried were accepted."),
        ("recipient accepted in a rcpt-only check",
            Facts([Variant("a", VariantOutcome.Refused, rcpt: Refused), Variant("direct-plain", VariantOutcome.Accepted, rcpt: "250 2.1.5 Ok")], mode: ProbeMode.RcptOnly),
            ProbeVerdict.RcptAccepted,
            $"The server accepted a recipient at {Canary} (variant direct-plain, direct); rcpt-only check, so no test message was sent; 1 of 2 variants tried were accepted."),
        ("recipient accepted, message refused",
            Facts([Variant("direct-plain", VariantOutcome.Accepted, rcpt: "250 2.1.5 Ok")], dataReply: "554 5.7.1 no thanks", dataVariant: "direct-plain"),
            ProbeVerdict.RcptAccepted,
            $"The server accepted a recipient at {Canary} (variant direct-plain, direct) but not the test message (554 5.7.1 no thanks); 1 of 1 variants tried were accepted."),
        ("message queued",
            Facts([Variant("direct-plain", VariantOutcome.Accepted, rcpt: "250 2.1.5 Ok"), Variant("b", VariantOutcome.NotTried)],
                dataAccepted: true, dataReply: "250 2.0.0 Ok: queued as 4AB", dataVariant: "direct-plain"),
            ProbeVerdict.DataAccepted,
            $"The server accepted a recipient at {Canary} (variant direct-plain, direct) and queued the test message (250 2.0.0 Ok: queued as 4AB); 1 of 1 variants tried were accepted."),
        ("only weaker address forms accepted",
            Facts([Variant("route", VariantOutcome.Accepted, VariantClass.SourceRoute), Variant("percent", VariantOutcome.Accepted, VariantClass.Routed),
                    Variant("direct-plain", VariantOutcome.Refused, rcpt: Refused)],
                dataAccepted: true, dataReply: "250 2.0.0 Ok", dataVariant: "route"),
            ProbeVerdict.DataAccepted,
            $"The server accepted a recipient at {Canary} (variant route, source-route) and queued the test message (250 2.0.0 Ok); 2 of 3 variants tried were accepted. Only source-route and routed address forms were accepted: many servers accept those and then deliver to themselves, so only the canary's arrival proves relaying."),
        ("handshake failed, then refused in clear text",
            Facts([Variant("a", VariantOutcome.Refused, rcpt: Refused)], tlsFailure: "TLS negotiation failed: bad record"),
            ProbeVerdict.Closed,
            $"The server refused every relay attempt: 1 refused, 0 wanted authentication, 0 deferred, of 1 tried (e.g. {Refused}). The STARTTLS handshake failed (TLS negotiation failed: bad record); later sessions ran in clear text without trying TLS again."),
    ];

    public static TheoryData<string> Cases => [.. Table.Select(row => row.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Judge_GivesTheVerdictAndReason_ForEachKindOfDialogue(string name)
    {
        var row = Table.Single(r => r.Name == name);

        var (verdict, reason) = ProbeJudge.Judge(row.Facts);

        Assert.Equal(row.Verdict, verdict);
        Assert.Equal(row.Reason, reason);
    }

    [Fact]
    public void Judge_NamesTheHandshakeFailureOnce_WhenTheReasonAlreadyGivesIt()
    {
        var facts = Facts([Variant("a", VariantOutcome.NotTried)], ProbeStop.TlsFailed, "demanded", tlsFailure: "TLS negotiation failed: bad record");

        var (_, reason) = ProbeJudge.Judge(facts);

        Assert.Equal(2, reason.Split("bad record").Length);
    }

    [Fact]
    public void AcceptedClass_IsTheClassOfTheDataVariant_WhenTheTestMessageWasSent()
    {
        var facts = Facts([Variant("direct", VariantOutcome.Accepted), Variant("percent", VariantOutcome.Accepted, VariantClass.Routed)], dataVariant: "percent");

        Assert.Equal(VariantClass.Routed, ProbeJudge.AcceptedClass(facts));
    }

    [Fact]
    public void AcceptedClass_IsTheStrongestAccepted_WhenNoTestMessageWasSent()
    {
        var facts = Facts([Variant("percent", VariantOutcome.Accepted, VariantClass.Routed), Variant("route", VariantOutcome.Accepted, VariantClass.SourceRoute)]);

        Assert.Equal(VariantClass.SourceRoute, ProbeJudge.AcceptedClass(facts));
    }

    [Fact]
    public void AcceptedClass_IsNull_WhenNothingWasAccepted()
    {
        Assert.Null(ProbeJudge.AcceptedClass(Facts([Variant("a", VariantOutcome.Refused, rcpt: Refused)])));
    }
}
