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

    [Fact]
    public void Deserialize_KeepsTheRcptOnlyMode_WhenAStoredRetestResultIsReadBack()
    {
        var now = DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var result = new ProbeResult
        {
            Target = "192.0.2.25:25",
            Host = "192.0.2.25",
            Address = "192.0.2.25",
            Port = 25,
            ProbeKey = "0123456789abcdef",
            Verdict = ProbeVerdict.RcptAccepted,
            Reason = "accepted",
            Mode = ProbeMode.RcptOnly,
            Token = "t",
            CanaryAddress = "relaytest+t@canary.test",
            StartedAt = now,
            FinishedAt = now,
        };

        var json = ProbeResultJson.Serialize(result);

        Assert.Contains("\"mode\":\"rcpt-only\"", json, StringComparison.Ordinal);
        Assert.Equal(ProbeMode.RcptOnly, ProbeResultJson.Deserialize(json)!.Mode);
    }
}
