using Notifier.Intake;

namespace Notifier.Tests.Intake;

public class ReceivedStampTests
{
    [Fact]
    public void Parse_ReadsHeloReverseDnsAndAddress_WhenPostfixWroteIt()
    {
        var s = ReceivedStamp.Parse("from mail.victim.example (host-81-2-69-142.example.net [81.2.69.142])\r\n\t(using TLSv1.2 with cipher ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits))\r\n\tby mx2.abuse-desk.example (Postfix) with ESMTPS id 4Tq8Zh2Wc9z9sL\r\n\tfor <abuse@abuse-desk.example>; Tue,  3 Mar 2026 10:15:05 +0000 (UTC)");
        Assert.True(s.HasFrom);
        Assert.Equal("mail.victim.example", s.FromName);
        Assert.Equal("host-81-2-69-142.example.net", s.FromReverseDns);
        Assert.Equal("81.2.69.142", s.FromAddress?.ToString());
        Assert.Equal("mx2.abuse-desk.example", s.By);
        Assert.Null(s.ByAddress);
        Assert.Equal("ESMTPS", s.With);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 10, 15, 5, TimeSpan.Zero), s.Date);
        Assert.DoesNotContain('\n', s.Raw);
        Assert.DoesNotContain("  ", s.Raw, StringComparison.Ordinal);
        Assert.False(s.IsLocalSubmission);
    }

    [Fact]
    public void Parse_TakesAddressFromComment_WhenHeloIsAForgedAddressLiteral()
    {
        var s = ReceivedStamp.Parse("from [89.160.20.112] (unknown [216.160.83.56]) by mx1.abuse-desk.example (Postfix) with SMTP id 1; Fri, 6 Mar 2026 09:30:11 +0000");
        Assert.Equal("216.160.83.56", s.FromAddress?.ToString());
        Assert.Equal("[89.160.20.112]", s.FromName);
        Assert.Null(s.FromReverseDns);
    }

    [Fact]
    public void Parse_ReadsIpv6Literal_WhenPostfixTaggedIt()
    {
        var s = ReceivedStamp.Parse("from mx3.abuse-desk.example (mx3.abuse-desk.example [IPv6:fd20:ab::25]) by store.abuse-desk.example (Postfix) with ESMTPS id X; Thu,  5 Mar 2026 14:20:03 +0000 (UTC)");
        Assert.Equal("fd20:ab::25", s.FromAddress?.ToString());
        Assert.Equal("mx3.abuse-desk.example", s.FromReverseDns);
    }

    [Fact]
    public void Parse_TakesAddressAfterFrom_WhenEximHadNoReverseDns()
    {
        var s = ReceivedStamp.Parse("from [2a01:4f9:c010:1234::25] (helo=mail.ipv6-victim.example) by mx3.abuse-desk.example with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.97) (envelope-from <offers@ipv6-victim.example>) id 1vXyZa-000AbC-2q for abuse@abuse-desk.example; Thu, 05 Mar 2026 14:20:01 +0000");
        Assert.Equal("2a01:4f9:c010:1234::25", s.FromAddress?.ToString());
        Assert.Equal("mail.ipv6-victim.example", s.FromName);
        Assert.Null(s.FromReverseDns);
        Assert.Equal("mx3.abuse-desk.example", s.By);
        Assert.StartsWith("esmtps", s.With, StringComparison.Ordinal);
        Assert.NotNull(s.Date);
    }

    [Fact]
    public void Parse_IgnoresAddressInHelo_WhenEximCommentHasPortAndHeloLiteral()
    {
        var s = ReceivedStamp.Parse("from host-81-2-69-142.example.net ([81.2.69.142]:51234 helo=[89.160.20.112]) by mx.abuse-desk.example with esmtp (Exim 4.96) id 1abc; Wed, 04 Mar 2026 07:02:05 +0000");
        Assert.Equal("81.2.69.142", s.FromAddress?.ToString());
        Assert.Equal("[89.160.20.112]", s.FromName);
        Assert.Equal("host-81-2-69-142.example.net", s.FromReverseDns);
    }

    [Fact]
    public void Parse_IgnoresHeloLiteral_WhenEximHadNoReverseDnsAndHeloIsAnAddress()
    {
        var s = ReceivedStamp.Parse("from [81.2.69.142] (helo=[89.160.20.112]) by mx.abuse-desk.example with esmtp (Exim 4.96) id 1abc; Wed, 04 Mar 2026 07:02:05 +0000");
        Assert.Equal("81.2.69.142", s.FromAddress?.ToString());
    }

    [Fact]
    public void Parse_ReadsAddressAndIdentName_WhenSendmailMarkedItMayBeForged()
    {
        var s = ReceivedStamp.Parse("from helo.example (IDENT:root@host-81-2-69-142.example.net [81.2.69.142] (may be forged)) by mail.example.org (8.15.2/8.15.2) with ESMTP id 123ABC for <x@example.org>; Mon, 2 Mar 2026 10:00:00 -0500");
        Assert.Equal("81.2.69.142", s.FromAddress?.ToString());
        Assert.Equal("host-81-2-69-142.example.net", s.FromReverseDns);
        Assert.Equal("helo.example", s.FromName);
        Assert.Equal("mail.example.org", s.By);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 15, 0, 0, TimeSpan.Zero), s.Date?.ToUniversalTime());
    }

    [Fact]
    public void Parse_ReadsBothAddresses_WhenExchangeWroteIt()
    {
        var s = ReceivedStamp.Parse("from smtp.hotel-booking-victim.example (89.160.20.112) by\r\n EDGE01.corp.abuse-desk.example (10.30.2.5) with Microsoft SMTP Server id\r\n 15.2.1544.4 via Frontend Transport; Wed, 4 Mar 2026 08:02:09 +0100");
        Assert.Equal("smtp.hotel-booking-victim.example", s.FromName);
        Assert.Equal("89.160.20.112", s.FromAddress?.ToString());
        Assert.Null(s.FromReverseDns);
        Assert.Equal("EDGE01.corp.abuse-desk.example", s.By);
        Assert.Equal("10.30.2.5", s.ByAddress?.ToString());
        Assert.Equal("Microsoft SMTP Server", s.With);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 8, 2, 9, TimeSpan.FromHours(1)), s.Date);
    }

    [Fact]
    public void Parse_ReadsBareIpv6_WhenExchangeOnlineWroteIt()
    {
        var s = ReceivedStamp.Parse("from AM6PR04MB1234.eurprd04.prod.outlook.example (2603:10a6:20b:1::12) by AM6PR04MB5678.eurprd04.prod.outlook.example (2603:10a6:20b:2::34) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.7452.28; Tue, 3 Mar 2026 09:00:00 +0000");
        Assert.Equal("2603:10a6:20b:1::12", s.FromAddress?.ToString());
        Assert.Equal("2603:10a6:20b:2::34", s.ByAddress?.ToString());
    }

    [Fact]
    public void Parse_ReadsHeloAndAddress_WhenQmailWroteIt()
    {
        var s = ReceivedStamp.Parse("from unknown (HELO mail.victim.example) (81.2.69.142) by mx.example.org with SMTP; 3 Mar 2026 10:00:00 -0000");
        Assert.Equal("81.2.69.142", s.FromAddress?.ToString());
        Assert.Equal("mail.victim.example", s.FromName);
        Assert.Null(s.FromReverseDns);
        Assert.Equal("SMTP", s.With);
    }

    [Fact]
    public void Parse_StripsTrailingDotFromReverseDns_WhenGmailWroteIt()
    {
        var s = ReceivedStamp.Parse("from mail-sor-f41.google.example (mail-sor-f41.google.example. [209.85.220.41]) by mx.google.example with SMTPS id a1sor123; Tue, 03 Mar 2026 02:03:04 -0800 (PST)");
        Assert.Equal("mail-sor-f41.google.example", s.FromReverseDns);
        Assert.Equal("209.85.220.41", s.FromAddress?.ToString());
    }

    [Theory]
    [InlineData("by webmail.abuse-desk.example (Postfix, from userid 33) id 7B1C2E0042; Sat,  7 Mar 2026 16:45:00 +0000 (UTC)")]
    [InlineData("from www-data by web1.abuse-desk.example with local (Exim 4.96) (envelope-from <www-data@web1.abuse-desk.example>) id 1vAbc-0001; Sat, 07 Mar 2026 16:45:00 +0000")]
    [InlineData("from EXCH01.corp.abuse-desk.example by EXCH01.corp.abuse-desk.example with mapi id 15.2.1544.4; Sat, 7 Mar 2026 16:45:00 +0000")]
    [InlineData("from mx1.abuse-desk.example by store.abuse-desk.example with LMTP id kQ2bA; Sat, 07 Mar 2026 16:45:00 +0000")]
    [InlineData("(qmail 12345 invoked by uid 89); 7 Mar 2026 16:45:00 -0000")]
    public void IsLocalSubmission_IsTrue_WhenNoClientConnected(string header)
    {
        var s = ReceivedStamp.Parse(header);
        Assert.True(s.IsLocalSubmission);
        Assert.Null(s.FromAddress);
    }

    [Fact]
    public void IsLocalSubmission_IsFalse_WhenFromHasNoAddressOverSmtp()
    {
        var s = ReceivedStamp.Parse("from mail.nowhere.example by mx1.abuse-desk.example with ESMTP id 4Tv; Tue, 10 Mar 2026 18:10:01 +0000");
        Assert.True(s.HasFrom);
        Assert.Null(s.FromAddress);
        Assert.False(s.IsLocalSubmission);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage ((( [[[ ;;; )))")]
    [InlineData("from")]
    [InlineData("from (unclosed comment [81.2.69.142] by x")]
    [InlineData("from \"quoted; name\" ([81.2.69.142]) by x; not a date")]
    public void Parse_DoesNotThrow_WhenHeaderIsGarbage(string header)
    {
        var s = ReceivedStamp.Parse(header);
        Assert.NotNull(s);
    }

    [Fact]
    public void Parse_LeavesDateNull_WhenDateDoesNotParse()
    {
        var s = ReceivedStamp.Parse("from a ([81.2.69.142]) by b; yesterday around noon");
        Assert.Null(s.Date);
        Assert.Equal("81.2.69.142", s.FromAddress?.ToString());
    }
}
