using System.Text;
using Notifier.Intake;

namespace Notifier.Tests.Intake;

public class RelayCsvParserTests
{
    private static readonly RelayCsvParser Parser = new(SampleFiles.Options(), TargetPolicy.PublicOnly);

    private static CsvImportResult ParseFile(string name, bool allowPrivateTargets = false) =>
        new RelayCsvParser(SampleFiles.Options(), new TargetPolicy(allowPrivateTargets)).Parse(SampleFiles.Read(name));

    private static CsvImportResult ParseText(string csv, bool allowPrivateTargets = false) =>
        new RelayCsvParser(SampleFiles.Options(), new TargetPolicy(allowPrivateTargets)).Parse(Encoding.UTF8.GetBytes(csv));

    [Fact]
    public void Parse_ReturnsEveryRowWithLineNumbers_WhenFileIsGood()
    {
        var result = ParseFile("good.csv");

        Assert.True(result.Succeeded);
        Assert.Null(result.Error);
        Assert.Empty(result.Rejected);
        Assert.Equal(
            [
                new CsvRelayRow(2, Relay("81.2.69.142", 25), "spamtrap-eu", "seen in 14 spam runs"),
                new CsvRelayRow(3, Relay("89.160.20.112", 25), "customer-report", "reported by a customer, twice"),
                new CsvRelayRow(4, Relay("2a01:4f9:c010:1234::25", 587), "spamtrap-eu", null),
                new CsvRelayRow(5, Relay("216.160.83.56", 2525), "manual", "two lines:\nfirst seen on port 2525"),
                new CsvRelayRow(7, Relay("2a01:4f9:c010:1234::26", 25), "spamtrap-eu", "upper-case IPv6 is normalised"),
                new CsvRelayRow(9, Relay("2a01:4f9:c010:1234::27", 25), "rfc5321-literal", null),
            ],
            result.Rows);
        Assert.Equal([new CsvDuplicateRow(8, 2, "81.2.69.142:25")], result.Duplicates);
    }

    [Fact]
    public void Parse_MatchesColumnsByName_WhenHeaderHasAnotherOrderAndCase()
    {
        var result = ParseFile("header-order.csv");

        Assert.True(result.Succeeded);
        Assert.Equal(
            [
                new CsvRelayRow(2, Relay("81.2.69.142", 25), null, "first relay"),
                new CsvRelayRow(3, Relay("89.160.20.112", 25), null, null),
            ],
            result.Rows);
    }

    [Fact]
    public void Parse_RejectsBadRowsWithLineFieldAndReason_WhenOtherRowsAreValid()
    {
        var result = ParseFile("bad-rows.csv");

        Assert.True(result.Succeeded);
        Assert.Equal([2, 12], result.Rows.Select(r => r.Line));
        Assert.Equal(["81.2.69.142:25", "216.160.83.56:25"], result.Rows.Select(r => r.Relay.CaseKey));
        Assert.Equal([3, 4, 5, 6, 7, 8, 9, 10], result.Rejected.Select(r => r.Line));
        Assert.Equal(["address", "port", "port", "address", "address", "row", "address", "source"], result.Rejected.Select(r => r.Field));
        Assert.Equal("not an IP address", result.Rejected[0].Reason);
        Assert.Equal("must be 1-65535", result.Rejected[1].Reason);
        Assert.Equal("must be 1-65535", result.Rejected[2].Reason);
        Assert.Contains("private (RFC 1918)", result.Rejected[3].Reason, StringComparison.Ordinal);
        Assert.Contains("loopback", result.Rejected[4].Reason, StringComparison.Ordinal);
        Assert.Equal("has 5 fields but the header names 4 columns", result.Rejected[5].Reason);
        Assert.Equal("is required", result.Rejected[6].Reason);
        Assert.Contains("line breaks", result.Rejected[7].Reason, StringComparison.Ordinal);
        Assert.Empty(result.Duplicates);
    }

    [Fact]
    public void Parse_AcceptsPrivateRows_WhenPrivateTargetsAreAllowed()
    {
        var result = ParseFile("bad-rows.csv", allowPrivateTargets: true);

        Assert.Equal([2, 6, 7, 12], result.Rows.Select(r => r.Line));
        Assert.DoesNotContain(result.Rejected, r => r.Line is 6 or 7);
    }

    [Fact]
    public void Parse_FailsWholeFile_WhenColumnIsUnknown()
    {
        var result = ParseFile("unknown-column.csv");

        Assert.False(result.Succeeded);
        Assert.Equal(new IntakeError("file", "line 1: unknown column \"comment\"; the columns are address, port, source, note"), result.Error);
        Assert.Empty(result.Rows);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void Parse_FailsWholeFile_WhenHeaderRowIsMissing()
    {
        var result = ParseFile("no-header.csv");

        Assert.Equal("file", result.Error?.Field);
        Assert.StartsWith("has no header row: line 1 must name the columns", result.Error?.Message, StringComparison.Ordinal);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Parse_FailsWholeFileAndImportsNothing_WhenQuotingIsBroken()
    {
        var result = ParseFile("broken-quoting.csv");

        Assert.False(result.Succeeded);
        Assert.Equal(new IntakeError("file", "is not valid CSV: line 2: a quoted field is never closed; nothing was imported"), result.Error);
        Assert.Empty(result.Rows);
        Assert.Empty(result.Rejected);
    }

    [Theory]
    [InlineData("address,note\n81.2.69.142,ab\"c\n89.160.20.112,x\n", "is not valid CSV: line 2: a quote inside an unquoted field")]
    [InlineData("address,note\n81.2.69.142,x\n89.160.20.112,\"ab\"c\n", "is not valid CSV: line 3: text after the closing quote")]
    [InlineData("addr\"ess,note\n81.2.69.142,x\n", "is not valid CSV: line 1: a quote inside an unquoted field")]
    public void Parse_FailsWholeFile_WhenAnyRecordIsMalformed(string csv, string message)
    {
        var result = ParseText(csv);

        Assert.StartsWith(message, result.Error?.Message, StringComparison.Ordinal);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Parse_FailsWholeFile_WhenFileIsEmpty()
    {
        Assert.Equal(new IntakeError("file", "is empty"), ParseFile("empty.csv").Error);
        Assert.Equal(new IntakeError("file", "is empty"), ParseText("\n\r\n\n").Error);
        Assert.Equal(new IntakeError("file", "is empty"), ParseText("\uFEFF").Error);
    }

    [Fact]
    public void Parse_FailsWholeFile_WhenOnlyHeaderIsPresent()
    {
        Assert.Equal(new IntakeError("file", "has a header but no rows"), ParseText("address,port\n").Error);
    }

    [Theory]
    [InlineData("address,port,port\n81.2.69.142,25,26\n", "line 1: column \"port\" appears twice")]
    [InlineData("Address,ADDRESS\n81.2.69.142,81.2.69.142\n", "line 1: column \"address\" appears twice")]
    [InlineData("port,source\n25,x\n", "line 1: the header has no \"address\" column (found port,source)")]
    [InlineData("address;port\n81.2.69.142;25\n", "line 1: unknown column \"address;port\"; columns must be separated by commas")]
    [InlineData("address,\n81.2.69.142,\n", "line 1: unknown column \"\"; the columns are address, port, source, note")]
    [InlineData("[2a01:4f9:c010:1234::25]\n81.2.69.142\n", "has no header row: line 1 must name the columns, such as address,port,source,note (found \"[2a01:4f9:c010:1234::25]\")")]
    public void Parse_FailsWholeFile_WhenHeaderIsWrong(string csv, string message)
    {
        Assert.Equal(new IntakeError("file", message), ParseText(csv).Error);
    }

    [Fact]
    public void Parse_ReadsFile_WhenItHasByteOrderMarkCrLfAndPaddedHeader()
    {
        var result = ParseText("\uFEFF Address , Port \r\n81.2.69.142 , 587 \r\n\r\n89.160.20.112,\r\n");

        Assert.True(result.Succeeded);
        Assert.Equal([(2, "81.2.69.142:587"), (4, "89.160.20.112:25")], result.Rows.Select(r => (r.Line, r.Relay.CaseKey)));
    }

    [Fact]
    public void Parse_AcceptsRow_WhenOnlyTrailingFieldsBeyondHeaderAreEmpty()
    {
        var result = ParseText("address,port\n81.2.69.142,25,,\n");

        Assert.Single(result.Rows);
        Assert.Empty(result.Rejected);
    }

    [Fact]
    public void Parse_CollapsesDuplicates_WhenTheSameRelayIsSpelledDifferently()
    {
        var result = ParseText("address,port,source\n2a01:4f9:c010:1234::25,25,a\n[2A01:4F9:C010:1234:0::25],,b\n2a01:4f9:c010:1234::25,587,c\n[IPv6:2a01:4f9:c010:1234::25],25,d\n");

        Assert.Equal([(2, "a"), (4, "c")], result.Rows.Select(r => (r.Line, r.Source)));
        Assert.Equal([new CsvDuplicateRow(3, 2, "[2a01:4f9:c010:1234::25]:25"), new CsvDuplicateRow(5, 2, "[2a01:4f9:c010:1234::25]:25")], result.Duplicates);
    }

    [Fact]
    public void Parse_FailsWholeFile_WhenTextIsNotUtf8()
    {
        var latin1 = Encoding.Latin1.GetBytes("address,note\n81.2.69.142,caf\u00e9\n");

        var result = Parser.Parse(latin1);

        Assert.Equal("file", result.Error?.Field);
        Assert.StartsWith("is not UTF-8 text", result.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_KeepsNonAsciiText_WhenFileIsUtf8()
    {
        var result = ParseText("address,note\n81.2.69.142,caf\u00e9 \u2013 \u6f22\u5b57\n");

        Assert.Equal("caf\u00e9 \u2013 \u6f22\u5b57", result.Rows.Single().Note);
    }

    [Fact]
    public void Parse_FailsWholeFile_WhenRowsExceedLimit()
    {
        var parser = new RelayCsvParser(SampleFiles.Options(o => o.MaxCsvRows = 3), TargetPolicy.PublicOnly);
        var atLimit = "address\n81.2.69.142\n89.160.20.112\nbad\n";
        var overLimit = atLimit + "216.160.83.56\n";

        Assert.True(parser.Parse(Encoding.UTF8.GetBytes(atLimit)).Succeeded);
        var result = parser.Parse(Encoding.UTF8.GetBytes(overLimit));
        Assert.Equal(new IntakeError("file", "has more than 3 rows (Intake:MaxCsvRows); split it into smaller files; nothing was imported"), result.Error);
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Parse_AcceptsFiftyThousandRows_WhenLimitsAreDefault()
    {
        var csv = new StringBuilder("address,port\n");
        for (var i = 0; i < 50_000; i++) csv.Append("81.2.").Append(i / 250).Append('.').Append(i % 250 + 1).Append(",25\n");

        var result = ParseText(csv.ToString());

        Assert.True(result.Succeeded, result.Error?.Message);
        Assert.Equal(50_000, result.Rows.Count);
        Assert.Equal(50_001, result.Rows[^1].Line);
        Assert.Equal(new IntakeError("file", "has more than 50000 rows (Intake:MaxCsvRows); split it into smaller files; nothing was imported"),
            ParseText(csv.Append("89.160.20.112,25\n").ToString()).Error);
    }

    [Fact]
    public void Parse_FailsWholeFile_WhenBytesExceedLimit()
    {
        var parser = new RelayCsvParser(SampleFiles.Options(o => o.MaxCsvBytes = 64), TargetPolicy.PublicOnly);

        var result = parser.Parse(SampleFiles.Read("good.csv"));

        Assert.Equal(new IntakeError("file", "is larger than 64 bytes (Intake:MaxCsvBytes); split it into smaller files"), result.Error);
    }

    [Fact]
    public async Task ParseAsync_StopsReadingAndFails_WhenUploadExceedsLimit()
    {
        var parser = new RelayCsvParser(SampleFiles.Options(), TargetPolicy.PublicOnly);
        var huge = Encoding.ASCII.GetBytes("address\n" + string.Concat(Enumerable.Repeat("81.2.69.142\n", 600_000)));
        var upload = new ForwardOnlyStream(huge);

        var result = await parser.ParseAsync(upload);

        Assert.Equal(new IntakeError("file", "is larger than 5 MB (Intake:MaxCsvBytes); split it into smaller files"), result.Error);
        Assert.True(upload.BytesRead <= 5 * 1024 * 1024 + 81920, $"read {upload.BytesRead} bytes");
    }

    [Fact]
    public async Task ParseAsync_ParsesFile_WhenReadFromAStream()
    {
        await using var file = File.OpenRead(SampleFiles.PathOf("good.csv"));

        var result = await Parser.ParseAsync(file);

        Assert.Equal(6, result.Rows.Count);
    }

    private static RelayAddress Relay(string address, int port)
    {
        Assert.True(RelayAddress.TryParse(address, port, out var relay, out _));
        return relay;
    }
}
