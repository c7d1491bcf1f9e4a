using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Notifier.Data;
using Notifier.Telemetry;

namespace Notifier.Cases;

/// <summary>
/// Gauges read from the database (the source of truth for what is due) when a reader collects (a scrape, an OTLP
/// export): <c>notifier.cases</c>, the cases in each state (every state, zero included, so a graph has no gaps),
/// and <c>notifier.dispatcher.lag</c>, how long the oldest due case has been waiting for the dispatcher. Read as the
/// database says, not recorded by the dispatcher, the lag keeps growing while no dispatcher runs, which is when an
/// admin needs the alert. One read serves both and is reused for Telemetry:CaseCountsCacheFor, so a busy scraper
/// does not load the database. They live in Cases, which owns the states, on the one Notifier meter.
/// </summary>
public sealed class CaseGauges
{
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheFor;
    private readonly Lock _lock = new();
    private Reading _last = new([], 0);
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public CaseGauges(NotifierMetrics metrics, IServiceScopeFactory scopes, TimeProvider time, IOptions<TelemetryOptions> options)
    {
        _scopes = scopes;
        _time = time;
        _cacheFor = options.Value.CaseCountsCacheFor;
        metrics.Meter.CreateObservableGauge("notifier.cases", () => Read().Cases, "{case}",
            "Cases by state, from the database (cached for Telemetry:CaseCountsCacheFor)");
        metrics.Meter.CreateObservableGauge("notifier.dispatcher.lag", () => Read().LagSeconds, "s",
            "How long the oldest case whose next action is due has been waiting (0: nothing is due)");
    }

    private sealed record Reading(IReadOnlyList<Measurement<long>> Cases, double LagSeconds);

    private Reading Read()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now - _readAt < _cacheFor) return _last;
            // Observable callbacks are synchronous (System.Diagnostics.Metrics): one GROUP BY and one indexed lookup.
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
            var counts = db.Cases.AsNoTracking()
                .GroupBy(c => c.State).Select(g => new { State = g.Key, Count = g.LongCount() })
                .ToDictionary(x => x.State, x => x.Count);
            var oldestDue = db.Cases.AsNoTracking().Where(CaseDispatcher.Due(now))
                .OrderBy(c => c.NextActionAt).Select(c => c.NextActionAt).FirstOrDefault();
            _last = new Reading(
                CaseState.All.Concat(counts.Keys.Except(CaseState.All))
                    .Select(s => new Measurement<long>(counts.GetValueOrDefault(s), new KeyValuePair<string, object?>("state", s)))
                    .ToList(),
                oldestDue is { } due ? Math.Max(0, (now - due).TotalSeconds) : 0);
            _readAt = now;
            return _last;
        }
    }
}
