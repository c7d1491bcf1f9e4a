using System.Text.Json;
using Notifier.Probing;

namespace Notifier.Tests.Probing;

public class ProbeModeTests
{
    [Theory]
    [InlineData(ProbeMode.Quick, "quick")]
    [InlineData(ProbeMode.Full, "full")]
    [InlineData(ProbeMode.RcptOnly, "rcpt-only")]
    public void Serialize_WritesTheLowerCaseWord_ForEachMode(ProbeMode mode, string text)
    {
        Assert.Equal($"\"{text}\"", JsonSerializer.Serialize(mode, ProbeResultJson.Options));
        Assert.Equal($"\"{text}\"", JsonSerializer.Serialize(mode, JsonSerializerOptions.Web));
        Assert.Equal(mode, JsonSerializer.Deserialize<ProbeMode>($"\"{text}\"", ProbeResultJson.Options));
        Assert.Equal(text, mode.ToText());
        Assert.Equal(mode, ProbeModeText.Parse(text));
    }

    [Fact]
    public void Parse_Throws_WhenTextIsNotAMode()
    {
        var e = Assert.Throws<FormatException>(() => ProbeModeText.Parse("fast"));

        Assert.Contains("quick, full or rcpt-only", e.Message, StringComparison.Ordinal);
    }
}
