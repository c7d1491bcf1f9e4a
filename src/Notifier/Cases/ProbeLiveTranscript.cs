using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Notifier.Data;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// The lines of a running retest that its owner is watching (the owner page's "test again now"), copied to
/// <see cref="Probe.LiveTranscript"/> as they come. Why the database and not an in-memory hub: the job may run on
/// another node than the web request that shows it (issue 15). Kept cheap and bounded: the engine's line callback
/// (<see cref="ProbeRequest.LineWritten"/>) only buffers, one UPDATE at most every <see cref="WriteEvery"/> writes
/// what came since (only while the probe is running), and at most <see cref="MaxLines"/> lines are kept live (the
/// whole transcript is in <see cref="Probe.ResultJson"/> once the probe is recorded).
/// Writes use their own DbContext: the job's context is busy meanwhile and a DbContext is not thread-safe.
/// </summary>
public sealed class ProbeLiveTranscript : IAsyncDisposable
{
    public static readonly TimeSpan WriteEvery = TimeSpan.FromMilliseconds(250);

    public const int MaxLines = 300;

    private readonly AsyncServiceScope _scope;
    private readonly NotifierDb _db;
    private readonly int _probeId;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly List<TranscriptLine> _lines = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _writing = Task.CompletedTask;
    private int _written;

    private ProbeLiveTranscript(AsyncServiceScope scope, int probeId, ILogger log)
    {
        _scope = scope;
        _db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        _probeId = probeId;
        _log = log;
    }

    /// <summary>Starts copying; give <see cref="Add"/> to the probe request as its <see cref="ProbeRequest.LineWritten"/>.</summary>
    /// <remarks>The context comes from a scope of its own (the provider's context, as the probe lease gets its own).</remarks>
    public static ProbeLiveTranscript Start(IServiceScopeFactory scopes, int probeId, TimeProvider time, ILogger log)
    {
        var live = new ProbeLiveTranscript(scopes.CreateAsyncScope(), probeId, log);
        live._writing = live.WriteAsync(time);
        return live;
    }

    /// <summary>Buffers one line (called on the dialogue's flow: no I/O here).</summary>
    public void Add(TranscriptLine line)
    {
        lock (_gate)
        {
            if (_lines.Count < MaxLines) _lines.Add(line);
        }
    }

    /// <summary>Stops the periodic writes and writes what is left, before the outcome is recorded.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        await _writing;
        await FlushAsync();
    }

    private async Task WriteAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(WriteEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token)) await FlushAsync();
        }
        catch (OperationCanceledException)
        {
            // Stopped: StopAsync writes the rest.
        }
    }

    private async Task FlushAsync()
    {
        string json;
        lock (_gate)
        {
            if (_lines.Count == _written) return;
            json = JsonSerializer.Serialize(_lines, ProbeResultJson.Options);
            _written = _lines.Count;
        }
        try
        {
            // Only while it runs: a probe recorded meanwhile has its whole transcript in ResultJson.
            await _db.Probes.Where(p => p.Id == _probeId && p.Status == ProbeStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.LiveTranscript, json), CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The live view is a courtesy: the probe and its recorded transcript do not depend on it.
            _log.LogWarning(e, "Writing the live transcript of probe {ProbeId} failed", _probeId);
        }
    }

    /// <summary>The lines to show of a probe: the recorded transcript once done, else the live copy so far.</summary>
    public static IReadOnlyList<TranscriptLine> Shown(Probe p) =>
        p.ResultJson is { } json ? ProbeResultJson.Deserialize(json)?.Transcript ?? [] : Read(p.LiveTranscript);

    /// <summary>The lines of a <see cref="Probe.LiveTranscript"/> (empty when there are none).</summary>
    public static IReadOnlyList<TranscriptLine> Read(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<TranscriptLine>>(json, ProbeResultJson.Options) ?? [];

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        await _writing;
        _stop.Dispose();
        await _scope.DisposeAsync();
    }
}
