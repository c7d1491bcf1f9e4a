using System.Threading.RateLimiting;

namespace Notifier.Probing;

/// <summary>
/// One partitioned limit of the probe throttle (per target, or per /24 / IPv6 /64): per key a
/// <see cref="ConcurrencyLimiter"/> (so many dialogues at once) and the earliest time the key's next probe may start
/// (the minimum interval). A partition lives while a probe holds or waits for it and until its interval has run out
/// after the latest start; then it is dropped, so the set is bounded by the keys probed within one interval.
/// <para>
/// Why not <see cref="PartitionedRateLimiter.Create{TResource, TPartitionKey}"/> with a window limiter per key: its
/// idle partitions go only after 10 s by a wall-clock timer it owns, and the time-based limiters (FixedWindow,
/// SlidingWindow, TokenBucket) read <c>Stopwatch</c> rather than a <see cref="TimeProvider"/>, so neither the service's
/// clock nor a test's fake clock would pace them. The interval is kept here, on the service's <see cref="TimeProvider"/>.
/// </para>
/// </summary>
internal sealed class ProbePartitions<TKey>(int permitsPerKey, TimeSpan interval, TimeProvider time) where TKey : notnull
{
    private readonly Dictionary<TKey, Partition> _partitions = [];
    private DateTimeOffset _nextSweep;

    /// <summary>The partitions kept now: held, waited for, or still inside their interval.</summary>
    public int Count
    {
        get
        {
            lock (_partitions) return _partitions.Count;
        }
    }

    /// <summary>The key's partition, held until <see cref="Return"/>: it is not dropped meanwhile.</summary>
    public Partition Rent(TKey key)
    {
        lock (_partitions)
        {
            var now = time.GetUtcNow();
            // A sweep at most once per interval: partitions whose interval ran out while nobody held them.
            if (now >= _nextSweep)
            {
                foreach (var idle in _partitions.Values.Where(p => IsIdle(p, now)).ToList()) Drop(idle);
                _nextSweep = now + interval;
            }
            if (!_partitions.TryGetValue(key, out var partition))
            {
                partition = new Partition(key, new ConcurrencyLimiter(new ConcurrencyLimiterOptions
                {
                    PermitLimit = permitsPerKey,
                    QueueLimit = int.MaxValue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
                _partitions[key] = partition;
            }
            partition.Users++;
            return partition;
        }
    }

    public void Return(Partition partition)
    {
        lock (_partitions)
        {
            partition.Users--;
            if (IsIdle(partition, time.GetUtcNow())) Drop(partition);
        }
    }

    /// <summary>When the key's next probe may start: now, or its latest start plus the interval.</summary>
    public DateTimeOffset NextStart(Partition partition)
    {
        lock (_partitions) return Next(partition, time.GetUtcNow());
    }

    /// <summary>
    /// Takes the key's next start slot, at <paramref name="notBefore"/> at the earliest, and returns it: concurrent
    /// callers get slots one interval apart, so probes waiting together do not all start together.
    /// </summary>
    public DateTimeOffset Reserve(Partition partition, DateTimeOffset notBefore)
    {
        lock (_partitions)
        {
            var next = Next(partition, time.GetUtcNow());
            var start = next > notBefore ? next : notBefore;
            partition.LastStart = start;
            return start;
        }
    }

    private DateTimeOffset Next(Partition partition, DateTimeOffset now) =>
        partition.LastStart is { } last && last + interval > now ? last + interval : now;

    private bool IsIdle(Partition partition, DateTimeOffset now) =>
        partition.Users == 0 && (partition.LastStart is not { } last || last + interval <= now);

    private void Drop(Partition partition)
    {
        _partitions.Remove(partition.Key);
        partition.Gate.Dispose();
    }

    /// <summary>A key's limiter and spacing; <see cref="Users"/> and <see cref="LastStart"/> change under the set's lock only.</summary>
    internal sealed class Partition(TKey key, ConcurrencyLimiter gate)
    {
        public TKey Key { get; } = key;
        public ConcurrencyLimiter Gate { get; } = gate;
        public int Users { get; set; }
        public DateTimeOffset? LastStart { get; set; }
    }
}
