using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Notifier.Probing;

/// <summary>
/// Probing etiquette in one place, on System.Threading.RateLimiting's <see cref="ConcurrencyLimiter"/>: a global
/// concurrency limit, one dialogue per target at a time, <c>Probing:MaxConcurrentPerNetwork</c> per network (/24,
/// IPv6 /64) at a time, a minimum interval between probes of the same target (refused beyond
/// <c>Probing:MaxThrottleWait</c>, so the job reschedules) and between probes of one network (queued: starts one
/// <c>Probing:MinIntervalPerNetwork</c> apart, as DESIGN.md's "a minimum interval per target and per /24" asks).
/// The per-key limiters are <see cref="ProbePartitions{TKey}"/>, dropped once idle and past their interval, so a
/// service that probes a million addresses over a year keeps only those of the last interval.
/// A singleton: every probe in the process goes through it.
/// </summary>
public sealed class ProbeThrottle : IDisposable
{
    private readonly IOptions<ProbingOptions> _options;
    private readonly TimeProvider _time;
    private readonly ConcurrencyLimiter _global;
    private readonly ProbePartitions<string> _targets;
    private readonly ProbePartitions<IPNetwork> _networks;

    public ProbeThrottle(IOptions<ProbingOptions> options, TimeProvider time)
    {
        _options = options;
        _time = time;
        var o = options.Value;
        _global = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.MaxConcurrentProbes,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _targets = new ProbePartitions<string>(1, o.MinIntervalPerTarget, time);
        _networks = new ProbePartitions<IPNetwork>(o.MaxConcurrentPerNetwork, o.MinIntervalPerNetwork, time);
    }

    /// <summary>Targets (address and port) the throttle keeps a limiter for now: held, waited for, or within their interval.</summary>
    public int TargetPartitions => _targets.Count;

    /// <summary>Networks (/24, IPv6 /64) the throttle keeps a limiter for now.</summary>
    public int NetworkPartitions => _networks.Count;

    /// <summary>Waits for the target's turn; the lease is the right to run one dialogue, given back on dispose.</summary>
    /// <exception cref="ProbeThrottledException">Another probe of the target runs, or its interval ends beyond <c>MaxThrottleWait</c>.</exception>
    public async Task<IAsyncDisposable> EnterAsync(IPEndPoint target, CancellationToken ct)
    {
        var o = _options.Value;
        var key = target.ToString();
        var turn = new Turn(this);
        try
        {
            var targetPartition = turn.Rent(_targets, key);
            turn.Hold(await TargetGateAsync(targetPartition, key, o.MaxThrottleWait, ct));
            var due = _targets.NextStart(targetPartition);
            if (due - _time.GetUtcNow() > o.MaxThrottleWait)
            {
                var last = targetPartition.LastStart ?? due;
                throw new ProbeThrottledException($"{key} was probed at {last.UtcDateTime:HH:mm:ss} UTC; the next probe is allowed at {due.UtcDateTime:HH:mm:ss} UTC", due);
            }
            var networkPartition = turn.Rent(_networks, TargetGuard.NetworkOf(target.Address));
            turn.Hold(await networkPartition.Gate.AcquireAsync(1, ct));
            var start = _networks.Reserve(networkPartition, due);
            _targets.Reserve(targetPartition, start);
            var wait = start - _time.GetUtcNow();
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct);
            turn.Hold(await _global.AcquireAsync(1, ct));
            return turn;
        }
        catch
        {
            await turn.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _global.Dispose();

    /// <summary>The target's own gate (one dialogue at a time), waited for at most <paramref name="maxWait"/>.</summary>
    private async Task<RateLimitLease> TargetGateAsync(ProbePartitions<string>.Partition partition, string key, TimeSpan maxWait, CancellationToken ct)
    {
        var now = partition.Gate.AttemptAcquire(1);
        if (now.IsAcquired) return now;
        now.Dispose();
        using var timeout = new CancellationTokenSource(maxWait, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return await partition.Gate.AcquireAsync(1, either.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ProbeThrottledException($"another probe of {key} is still running", _time.GetUtcNow() + maxWait);
        }
    }

    /// <summary>The leases and partitions one probe holds; disposing gives each back once.</summary>
    private sealed class Turn(ProbeThrottle throttle) : IAsyncDisposable
    {
        private readonly List<RateLimitLease> _leases = [];
        private readonly List<Action> _returns = [];
        private int _released;

        public ProbePartitions<TKey>.Partition Rent<TKey>(ProbePartitions<TKey> set, TKey key) where TKey : notnull
        {
            var partition = set.Rent(key);
            _returns.Add(() => set.Return(partition));
            return partition;
        }

        public void Hold(RateLimitLease lease)
        {
            _leases.Add(lease);
            // A ConcurrencyLimiter with an unbounded queue only refuses once disposed (at shutdown).
            if (!lease.IsAcquired) throw new ProbeThrottledException("the probe throttle is shutting down", throttle._time.GetUtcNow() + throttle._options.Value.MaxThrottleWait);
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                foreach (var lease in _leases) lease.Dispose();
                foreach (var giveBack in _returns) giveBack();
            }
            return ValueTask.CompletedTask;
        }
    }
}
