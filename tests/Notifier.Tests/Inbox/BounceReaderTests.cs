using System.Text;
using MimeKit;
using Notifier.Inbox;

namespace Notifier.Tests.Inbox;

/// <summary>One synthetic message per cause listed in issue 10, through <see cref="BounceReader"/> and <see cref="MailClassifier"/>.</summary>
public sealed class BounceReaderTests
{
    private static MimeMessage Parse(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"))));

    private const string QmailBody = """

        Hi. This is the qmail-send program at mx.example.net.
        I'm afraid I wasn't able to deliver your message to the following addresses.
        This is a permanent error; I've given up. Sorry it didn't work out.

        <noc@example.net>:
        Remote host said: 550 5.1.1 <noc@example.net>: Recipient address rejected: User unknown

        --- Below this line is a copy of the message.

        From: Notifier abuse desk <notices@desk.test>
        To: noc@example.net
        Subject: [NR-000001] Open mail relay at 192.0.2.10
        Message-ID: <notice.1.2@desk.test>

        Your server relays mail for anyone.
        """;

    [Fact]
    public void Read_RecognisesBounce_WhenFromIsMailerDaemonWithAnEmptyAddress()
    {
        var bounce = BounceReader.Read(Parse("From: MAILER-DAEMON <>\nTo: notices@desk.test\nSubject: Mail failure.\n" + QmailBody));

        Assert.NotNull(bounce);
        Assert.Equal("noc@example.net", Assert.Single(bounce.Recipients).Address);
    }

    [Theory]
    [InlineData("Mail failure.")]
    [InlineData("Delivery Status")]
    [InlineData("failed delivery")]
    [InlineData("Delayed Mail (still being retried)")]
    [InlineData("Undeliverable: [NR-000001] Open mail relay")]
    [InlineData("=?UTF-8?B?6YWN5L+h44Ko44Op44O8?=")] // 配信エラー (Japanese: delivery error)
    [InlineData("Unzustellbar: [NR-000001] Open mail relay")]
    [InlineData("Non remis : [NR-000001] Open mail relay")]
    [InlineData("No se puede entregar: [NR-000001]")]
    public void Classify_IsBounceNotAutoReply_WhenSubjectIsABounceSubjectAndAutoSubmittedIsSet(string subject)
    {
        var message = Parse($"From: postmaster@mx.example.net\nTo: notices@desk.test\nSubject: {subject}\nAuto-Submitted: auto-replied\n" + QmailBody);

        var result = MailClassifier.Classify(message);

        Assert.NotNull(result);
        Assert.Equal(InboundClass.Bounce, result.Class);
        Assert.Equal("noc@example.net", Assert.Single(result.Bounce!.Recipients).Address);
    }

    private static string Report(string statusFields, string boundary = "b1", string? declaredBoundary = null) => $"""
        From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
        To: notices@desk.test
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="{declaredBoundary ?? boundary}"

        --{boundary}
        Content-Type: text/plain

        Your message could not be delivered.

        --{boundary}
        Content-Type: message/delivery-status

        {statusFields}
        --{boundary}
        Content-Type: text/rfc822-headers

        From: notices@desk.test
        To: abuse@example.org
        Message-ID: <notice.1.2@desk.test>
        Subject: [NR-000001] Open mail relay

        --{boundary}--
        """;

    [Fact]
    public void Read_NamesTheRecipient_WhenTheReportHasNoPerMessageBlock()
    {
        // AOL-style: the first (and only) group is already a per-recipient group.
        var bounce = BounceReader.Read(Parse(Report("Final-Recipient: rfc822; abuse@example.org\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\n")));

        var r = Assert.Single(bounce!.Recipients);
        Assert.Equal(("abuse@example.org", "failed", "5.1.1"), (r.Address, r.Action, r.Status));
        Assert.True(r.Permanent);
        Assert.Equal(BounceReason.UnknownUser, r.Reason);
    }

    [Fact]
    public void Read_FallsBackToTheText_WhenTheBoundariesAreBroken()
    {
        // The declared boundary is not the one used: MIME sees one text part holding the DSN fields.
        var bounce = BounceReader.Read(Parse(Report("Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; abuse@example.org\nAction: failed\nStatus: 5.2.2\n", "b1", "other")));

        var r = Assert.Single(bounce!.Recipients);
        Assert.Equal(("abuse@example.org", "5.2.2"), (r.Address, r.Status));
        Assert.Equal(BounceReason.MailboxFull, r.Reason);
    }

    [Fact]
    public void Read_TakesXFailedRecipients_WhenTheTextNamesNoAddress()
    {
        var bounce = BounceReader.Read(Parse("""
            From: Mail Delivery System <Mailer-Daemon@mx.example.net>
            To: notices@desk.test
            Subject: Mail delivery failed: returning message to sender
            X-Failed-Recipients: abuse@example.org

            This message was created automatically by mail delivery software.
            A message that you sent could not be delivered to one or more of its recipients.
              SMTP error from remote mail server after RCPT TO: 550 5.1.1 mailbox unavailable
            """));

        var r = Assert.Single(bounce!.Recipients);
        Assert.Equal(("abuse@example.org", "5.1.1"), (r.Address, r.Status));
    }

    [Fact]
    public void Read_TakesOnlyTheFailedAddress_WhenTheTextNamesMessageIdsQueueIdsAndAHelpDesk()
    {
        var bounce = BounceReader.Read(Parse("""
            From: MAILER-DAEMON@mx.example.net
            To: notices@desk.test
            Subject: failure notice

            Hi. This is the qmail-send program at mx.example.net.
            Queue id 4F3A2B1C0D, message <20261126.4F3A2B1C0D@mx.example.net> from notices@desk.test.
            I'm afraid I wasn't able to deliver your message to the following addresses.

            <abuse@example.org>:
            Remote host said: 550 5.1.1 mailbox unavailable

            For help, write to helpdesk@support.example.net or see https://support.example.net/.

            --- Below this line is a copy of the message.

            To: abuse@example.org, cc-someone@example.com
            Message-ID: <notice.1.2@desk.test>
            """));

        var r = Assert.Single(bounce!.Recipients);
        Assert.Equal("abuse@example.org", r.Address);
    }

    [Fact]
    public void Read_NamesPostmaster_WhenPostmasterIsTheFailedRecipient()
    {
        var bounce = BounceReader.Read(Parse("From: MAILER-DAEMON@mx.example.net\nTo: notices@desk.test\nSubject: failure notice\n" + QmailBody.Replace("noc@example.net", "postmaster@example.net")));

        Assert.Equal("postmaster@example.net", Assert.Single(bounce!.Recipients).Address);
    }

    [Theory]
    [InlineData("Action: failed\nStatus: 5.1.1 (bad destination mailbox address)\n", "failed", "5.1.1")]
    [InlineData("Action: failed\nStatus: 5.0.0\nDiagnostic-Code: smtp; 550 5.1.1 <abuse@example.org>: user unknown\n", "failed", "5.1.1")]
    [InlineData("Action: expired\nStatus: 5.4.7\n", "failed", "5.4.7")]
    [InlineData("Action: delayed\nStatus: 4.4.1\n", "delayed", "4.4.1")]
    public void Read_ReadsActionAndStatusAsTheRfcSays_WhenFieldsCarryCommentsOrGenericCodes(string fields, string action, string status)
    {
        var bounce = BounceReader.Read(Parse(Report("Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; abuse@example.org\n" + fields)));

        var r = Assert.Single(bounce!.Recipients);
        Assert.Equal((action, status), (r.Action, r.Status));
    }

    [Theory]
    [InlineData("Action: delayed\nStatus: 4.2.2\n")]
    [InlineData("Action: failed\nStatus: 4.4.7\n")]
    public void Permanent_IsFalse_WhenTheFailureIsTemporary(string fields)
    {
        var bounce = BounceReader.Read(Parse(Report("Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; abuse@example.org\n" + fields)));

        Assert.False(Assert.Single(bounce!.Recipients).Permanent);
    }

    [Fact]
    public void Classify_IsComplaint_WhenTheMessageIsAnArfFeedbackReport()
    {
        var message = Parse("""
            From: feedback@provider.example
            To: notices@desk.test
            Subject: FW: [NR-000001] Open mail relay
            Auto-Submitted: auto-generated
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report; boundary="f"

            --f
            Content-Type: text/plain

            This is an email abuse report for an email message received from IP 192.0.2.1.
            --f
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: SomeGenerator/1.0
            Version: 1
            Original-Rcpt-To: <abuse@example.org>

            --f
            Content-Type: message/rfc822

            From: notices@desk.test
            To: abuse@example.org
            Subject: [NR-000001] Open mail relay
            Message-ID: <notice.1.2@desk.test>

            Your server relays mail for anyone.
            --f--
            """);

        var result = MailClassifier.Classify(message);

        Assert.Equal(InboundClass.Complaint, result?.Class);
        Assert.Equal(("abuse", "abuse@example.org", "notice.1.2@desk.test"), (result!.Complaint!.FeedbackType, result.Complaint.OriginalRecipient, result.Complaint.OriginalMessageId));
    }

    [Fact]
    public void Classify_IsNull_WhenAPersonWritesAboutABounce()
    {
        var message = Parse("From: Alice <alice@example.org>\nTo: notices@desk.test\nSubject: Re: [NR-000001] Open mail relay\n\nWe fixed it; the undeliverable notice from last week was our old mailbox.\n");

        Assert.Null(MailClassifier.Classify(message));
    }
}
