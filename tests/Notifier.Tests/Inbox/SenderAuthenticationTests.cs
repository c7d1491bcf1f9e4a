using MimeKit;
using Notifier.Inbox;

namespace Notifier.Tests.Inbox;

public sealed class SenderAuthenticationTests
{
    private static readonly string[] Trusted = ["mx.desk.test"];

    private static MimeMessage With(params string[] authenticationResults)
    {
        var m = new MimeMessage();
        foreach (var value in authenticationResults) m.Headers.Add("Authentication-Results", value);
        m.From.Add(MailboxAddress.Parse("abuse@isp.example"));
        m.Body = new TextPart("plain") { Text = "Unsubscribe." };
        return m;
    }

    [Fact]
    public void Read_ReturnsDkimAndSpfPasses_WhenTrustedReceiverSaysSo()
    {
        var passes = SenderAuthentication.Read(With("MX.Desk.Test; dkim=pass header.d=ISP.example header.s=s1; spf=pass smtp.mailfrom=bounce@mail.isp.example"), Trusted);

        Assert.Equal([("dkim", "isp.example"), ("spf", "mail.isp.example")], passes.Select(p => (p.Method, p.Domain)));
        Assert.NotNull(SenderAuthentication.For(passes, "isp.example"));
    }

    [Fact]
    public void Read_MatchesTrustedReceiver_WhateverItsCaseAndTrailingDot()
    {
        Assert.Single(SenderAuthentication.Read(With("mx.desk.test; dkim=pass header.d=isp.example"), ["MX.Desk.Test."]));
    }

    [Fact]
    public void Read_IgnoresHeaders_WhenAuthservIdIsNotTrusted()
    {
        var passes = SenderAuthentication.Read(With("mx.attacker.example; dkim=pass header.d=isp.example", "desk.test; spf=pass smtp.mailfrom=isp.example"), Trusted);

        Assert.Empty(passes);
    }

    [Fact]
    public void Read_TrustsNothing_WhenNoReceiverIsConfigured()
    {
        Assert.Empty(SenderAuthentication.Read(With("mx.desk.test; dkim=pass header.d=isp.example"), []));
    }

    [Theory]
    [InlineData("mx.desk.test; dkim=fail header.d=isp.example")]
    [InlineData("mx.desk.test; dkim=neutral header.d=isp.example; spf=softfail smtp.mailfrom=isp.example")]
    [InlineData("mx.desk.test; none")]
    [InlineData("not an authentication results header ;;; =")]
    public void Read_ReturnsNothing_WhenNoCheckPassed(string value)
    {
        Assert.Empty(SenderAuthentication.Read(With(value), Trusted));
    }

    [Fact]
    public void For_TakesTheDomainOfHeaderI_AndNamesUnderTheDomain_ButNotAnotherDomain()
    {
        var passes = SenderAuthentication.Read(With("mx.desk.test; dkim=pass header.i=@noc.isp.example"), Trusted);

        Assert.NotNull(SenderAuthentication.For(passes, "isp.example"));
        Assert.NotNull(SenderAuthentication.For(passes, "noc.isp.example"));
        Assert.Null(SenderAuthentication.For(passes, "other.example"));
        Assert.Null(SenderAuthentication.For(passes, "p.isp.example"));
        // A suffix that is not a label boundary is another domain.
        Assert.Null(SenderAuthentication.For(SenderAuthentication.Read(With("mx.desk.test; dkim=pass header.d=evilisp.example"), Trusted), "isp.example"));
    }
}
