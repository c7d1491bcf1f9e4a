using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Probing;
using Notifier.Tests.Hosting;
using Notifier.Tests.Pages;

namespace Notifier.Tests.Cases;

/// <summary>The live copy of a watched retest's lines: written while it runs, bounded, never over a recorded probe.</summary>
public sealed class ProbeLiveTranscriptTests(QueueNotifierFactory factory) : IClassFixture<QueueNotifierFactory>
{
    private async Task<int> ProbeAsync(string status)
    {
        var c = await CaseSeed.AddAsync(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var p = new Probe { CaseId = c.Id, Key = ProbeToken.NewProbeKey(), Kind = ProbeKind.Retest, Mode = ProbeMode.RcptOnly, Status = status, QueuedAt = DateTimeOffset.UtcNow, RequestedBy = "owner:abuse@example.net" };
        db.Probes.Add(p);
        await db.SaveChangesAsync();
        return p.Id;
    }

    private async Task<string?> LiveAsync(int probeId) =>
        await CaseSeed.ReadAsync(factory, db => db.Probes.AsNoTracking().Where(p => p.Id == probeId).Select(p => p.LiveTranscript).SingleAsync());

    private ProbeLiveTranscript Start(int probeId) =>
        ProbeLiveTranscript.Start(factory.Services.GetRequiredService<IServiceScopeFactory>(), probeId, TimeProvider.System, NullLogger.Instance);

    [Fact]
    public async Task StopAsync_LeavesTheLinesSoFarOnTheProbe_AtMostMaxLines_WhileItRuns()
    {
        var id = await ProbeAsync(ProbeStatus.Running);
        await using var live = Start(id);
        for (var i = 0; i < ProbeLiveTranscript.MaxLines + 50; i++) live.Add(new TranscriptLine(DateTimeOffset.UtcNow, TranscriptLine.Sent, $"RCPT TO:<line{i}@canary.test>"));

        await live.StopAsync();

        var lines = ProbeLiveTranscript.Read(await LiveAsync(id));
        Assert.Equal(ProbeLiveTranscript.MaxLines, lines.Count);
        Assert.Equal("RCPT TO:<line0@canary.test>", lines[0].Line);
    }

    [Fact]
    public async Task StopAsync_WritesNothing_WhenTheProbeIsRecordedAlready()
    {
        var id = await ProbeAsync(ProbeStatus.Done);
        await using var live = Start(id);
        live.Add(new TranscriptLine(DateTimeOffset.UtcNow, TranscriptLine.Received, "220 late.example ESMTP"));

        await live.StopAsync();

        Assert.Null(await LiveAsync(id));
    }
}
