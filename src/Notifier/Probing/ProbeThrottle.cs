using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Notifier.Probing;

/// <summary>
/// Probing etiquette in one place: a global concurrency limit, one dialogue per target at a time, a few per
/// network (/24, IPv6 /64) at a time, and a minimum interval between probes of the same target.
/// A singleton: every probe in the process goes through it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "SemaphoreSlim holds no OS handle unless AvailableWaitHandle is read, which this never does; disposing them at shutdown would only make a lease released late throw.")]
public sealed class ProbeThrottle(IOptions<ProbingOptions> options, TimeProvider time)
{
    private readonly SemaphoreSlim _global = new(options.Value.MaxConcurrentProbes);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _targets = new();
    private readonly ConcurrentDictionary<IPNetwork, SemaphoreSlim> _networks = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastStart = new();

    public async Task<IAsyncDisposable> EnterAsync(IPEndPoint target, CancellationToken ct)
    {
        var o = options.Value;
        var key = target.ToString();
        var targetGate = _targets.GetOrAdd(key, _ => new SemaphoreSlim(1));
        if (!await targetGate.WaitAsync(o.MaxThrottleWait, ct))
            throw new ProbeThrottledException($"another probe of {key} is still running", time.GetUtcNow() + o.MaxThrottleWait);
        var held = new List<SemaphoreSlim> { targetGate };
        try
        {
            if (_lastStart.TryGetValue(key, out var last) && o.MinIntervalPerTarget > TimeSpan.Zero)
            {
                var due = last + o.MinIntervalPerTarget;
                var wait = due - time.GetUtcNow();
                if (wait > o.MaxThrottleWait)
                    throw new ProbeThrottledException($"{key} was probed at {last.UtcDateTime:HH:mm:ss} UTC; the next probe is allowed at {due.UtcDateTime:HH:mm:ss} UTC", due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
            }
            var networkGate = _networks.GetOrAdd(TargetGuard.NetworkOf(target.Address), _ => new SemaphoreSlim(o.MaxConcurrentPerNetwork));
            await networkGate.WaitAsync(ct);
            held.Add(networkGate);
            await _global.WaitAsync(ct);
            held.Add(_global);
            _lastStart[key] = time.GetUtcNow();
            return new Lease(held);
        }
        catch
        {
            foreach (var gate in held) gate.Release();
            throw;
        }
    }

    private sealed class Lease(List<SemaphoreSlim> held) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                foreach (var gate in held) gate.Release();
            }
            return ValueTask.CompletedTask;
        }
    }
}
