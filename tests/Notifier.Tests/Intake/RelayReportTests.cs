using Notifier.Intake;

namespace Notifier.Tests.Intake;

public class RelayReportTests
{
    [Fact]
    public void TryCreate_TrimsTextAndTurnsBlankIntoNull_WhenFieldsAreValid()
    {
        Assert.True(RelayReport.TryCreate("81.2.69.142", 587, "  spamtrap  ", "   ", TargetPolicy.PublicOnly, out var report, out var error));
        Assert.Null(error);
        Assert.Equal("81.2.69.142:587", report.Relay.CaseKey);
        Assert.Equal("spamtrap", report.Source);
        Assert.Null(report.Note);
    }

    [Fact]
    public void TryCreate_KeepsLineBreaksInNote_WhenNoteHasSeveralLines()
    {
        Assert.True(RelayReport.TryCreate("81.2.69.142", (int?)null, null, "line one\r\nline two\ttabbed", TargetPolicy.PublicOnly, out var report, out _));
        Assert.Equal("line one\r\nline two\ttabbed", report.Note);
    }

    [Fact]
    public void TryCreate_FailsOnAddress_WhenTargetIsPrivate()
    {
        Assert.False(RelayReport.TryCreate("192.168.1.1", 25, null, null, TargetPolicy.PublicOnly, out _, out var error));
        Assert.Equal("address", error.Field);
        Assert.Contains("private (RFC 1918)", error.Message, StringComparison.Ordinal);
        Assert.True(RelayReport.TryCreate("192.168.1.1", 25, null, null, TargetPolicy.PrivateAllowed, out _, out _));
    }

    [Theory]
    [InlineData("source", "feed\nname")]
    [InlineData("source", "feed\u0007")]
    [InlineData("note", "bell\u0007")]
    [InlineData("note", "nul\0")]
    public void TryCreate_FailsOnField_WhenTextHasControlCharacters(string field, string text)
    {
        var source = field == "source" ? text : null;
        var note = field == "note" ? text : null;
        Assert.False(RelayReport.TryCreate("81.2.69.142", "25", source, note, TargetPolicy.PublicOnly, out _, out var error));
        Assert.Equal(field, error.Field);
        Assert.Contains("control characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryCreate_FailsOnLength_WhenSourceOrNoteIsTooLong()
    {
        Assert.True(RelayReport.TryCreate("81.2.69.142", 25, new string('s', RelayReport.MaxSourceLength), new string('n', RelayReport.MaxNoteLength), TargetPolicy.PublicOnly, out _, out _));
        Assert.False(RelayReport.TryCreate("81.2.69.142", 25, new string('s', RelayReport.MaxSourceLength + 1), null, TargetPolicy.PublicOnly, out _, out var source));
        Assert.Equal(new IntakeError("source", "must be at most 200 characters"), source);
        Assert.False(RelayReport.TryCreate("81.2.69.142", 25, null, new string('n', RelayReport.MaxNoteLength + 1), TargetPolicy.PublicOnly, out _, out var note));
        Assert.Equal(new IntakeError("note", "must be at most 2000 characters"), note);
    }

    [Fact]
    public void TryCreate_ReportsFirstProblemInFieldOrder_WhenSeveralFieldsAreBad()
    {
        Assert.False(RelayReport.TryCreate("10.0.0.1", 0, "bad\nsource", null, TargetPolicy.PublicOnly, out _, out var error));
        Assert.Equal("port", error.Field);
        Assert.False(RelayReport.TryCreate("10.0.0.1", 25, "bad\nsource", null, TargetPolicy.PublicOnly, out _, out error));
        Assert.Equal("address", error.Field);
        Assert.False(RelayReport.TryCreate("10.0.0.1", 25, "bad\nsource", null, TargetPolicy.PrivateAllowed, out _, out error));
        Assert.Equal("source", error.Field);
    }
}
