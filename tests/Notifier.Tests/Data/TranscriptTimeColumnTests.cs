using System.IO.Compression;
using System.Text;
using Notifier.Cases;
using Notifier.Probing;

namespace Notifier.Tests.Data;

/// <summary>
/// The transcript's timestamps stored as one column of differences (issue 17: at most 5 KB per closed case): the
/// closed Postfix fixture comes back byte for byte and smaller, results written before the column read as they
/// were, and a result whose timestamps would not come back exactly is stored as it is.
/// </summary>
public sealed class TranscriptTimeColumnTests
{
    private static string ClosedPostfixJson() =>
        ProbeResultJson.Serialize(ProbeResultJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "closed-postfix-full-probe.json")))!);

    [Fact]
    public void Split_ComesBackByteForByte_AndFitsThreeProbeRowsToAnEightKilobytePage()
    {
        var json = ClosedPostfixJson();
        var split = TranscriptTimeColumn.Split(json);
        Assert.StartsWith(TranscriptTimeColumn.Marker, split, StringComparison.Ordinal);
        Assert.DoesNotContain("\"at\":\"", split[..split.LastIndexOf('\n')], StringComparison.Ordinal);
        Assert.Equal(json, TranscriptTimeColumn.Join(split));
        Assert.Equal(json, ProbeResultStorage.Decompress(ProbeResultStorage.Compress(json)));
        // Under 2,200 bytes the row (about 400 bytes of other columns) goes three to an 8 KB page (SqlitePageSize);
        // the plain JSON took about 2,750 at Brotli's default level.
        var stored = ProbeResultStorage.Compress(json).Length;
        Assert.True(stored < 2_200, $"{stored} bytes stored, {PlainBrotli(json).Length} as plain JSON");
    }

    [Fact]
    public void Decompress_ReadsAResultStoredAsPlainJson()
    {
        var json = ClosedPostfixJson();
        Assert.Equal(json, ProbeResultStorage.Decompress(PlainBrotli(json)));
    }

    [Theory]
    [InlineData("""{"transcript":[{"at":"2026-12-04T21:15:38.84+02:00","dir":"<-","line":"220 x"}]}""")]
    [InlineData("""{"transcript":[{"at":"2026-12-04T21:15:38.8400+00:00","dir":"<-","line":"220 x"}]}""")]
    [InlineData("""{"transcript":[{"at":"2026-12-04T21:15:38Z","dir":"<-","line":"220 x"}]}""")]
    [InlineData("""{"other":{"dir":"x"},"transcript":[{"at":"2026-12-04T21:15:38+00:00","dir":"<-","line":"220 x"}]}""")]
    [InlineData("""{"transcript":[]}""")]
    public void Split_KeepsTheJson_WhenItsTimesWouldNotComeBackExactly(string json)
    {
        Assert.Equal(json, TranscriptTimeColumn.Split(json));
        Assert.Equal(json, ProbeResultStorage.Decompress(ProbeResultStorage.Compress(json)));
    }

    [Fact]
    public void Split_KeepsLinesWhoseTextLooksLikeJson_AndTimesGoingBack()
    {
        const string json = """{"transcript":[{"at":"2026-12-04T21:15:38.1234567+00:00","dir":"<-","line":"{\"at\":\"x\",\"dir\":\"y\"}"},{"at":"2026-12-04T21:15:37+00:00","dir":"==","line":"clock went back"}],"n":1}""";
        var split = TranscriptTimeColumn.Split(json);
        Assert.StartsWith(TranscriptTimeColumn.Marker, split, StringComparison.Ordinal);
        Assert.Equal(json, TranscriptTimeColumn.Join(split));
    }

    /// <summary>How results were stored before the column: the JSON itself, Brotli-compressed.</summary>
    private static byte[] PlainBrotli(string json)
    {
        using var output = new MemoryStream();
        using (var brotli = new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true))
            brotli.Write(Encoding.UTF8.GetBytes(json));
        return output.ToArray();
    }
}
