using Notifier.Probing;

namespace Notifier.Tests.Probing;

public sealed class MtaFingerprintTests
{
    [Theory]
    [InlineData("mail.example.com ESMTP Postfix (Debian/GNU)", "Postfix")]
    [InlineData("mx.example.com ESMTP Exim 4.96 Mon, 01 Jan 2024 00:00:00 +0000", "Exim")]
    [InlineData("mx.example.com ESMTP Sendmail 8.17.1/8.17.1; Mon, 1 Jan 2024", "Sendmail")]
    [InlineData("EX01.corp.example Microsoft ESMTP MAIL Service ready at Mon, 1 Jan 2024", "Microsoft Exchange")]
    [InlineData("mx.example.com ESMTP OpenSMTPD", "OpenSMTPD")]
    [InlineData("mx.example.com ESMTP Haraka 3.0.2 ready", "Haraka")]
    [InlineData("mx.example.com ESMTP MDaemon 23.0.1; Mon", "MDaemon")]
    [InlineData("mx.example.com ESMTP", "unknown")]
    public void Identify_NamesTheMta_FromTheBanner(string banner, string expected)
    {
        Assert.Equal(expected, MtaFingerprint.Identify(banner, []));
    }

    [Theory]
    [InlineData("sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)", "qmail")]
    [InlineData("<a@b>: Relay access denied", "Postfix")]
    [InlineData("relay not permitted", "Exim")]
    [InlineData("I cannot deliver mail for <a@b>", "Haraka")]
    public void Identify_NamesTheMta_FromRefusalText_WhenBannerIsPlain(string refusal, string expected)
    {
        Assert.Equal(expected, MtaFingerprint.Identify("mx.example.com ESMTP", [refusal]));
    }
}
