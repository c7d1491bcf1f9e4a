using Microsoft.EntityFrameworkCore;
using Notifier.Data;

namespace Notifier.Cases;

/// <summary>
/// A probe job's hold on its probe row: <c>running</c>, <see cref="Probe.LeaseOwner"/> this node and
/// <see cref="Probe.LeaseUntil"/> the value this job wrote last. That exact value is the fencing token: a job that
/// lost the row (its lease ran out and another copy claimed it) finds its renewal and its record refused.
/// <para>
/// Why it is renewed while the probe waits for its turn: the wait for a per-network or global slot
/// (Probing/ProbeThrottle) is unbounded under load, and the dispatcher re-enqueues a running probe whose lease has
/// run out; a lease counted from the claim made waiting probes look dead, so their dialogues ran twice. The throttle
/// belongs to Probing/, which knows no database, so the probe reports its turn (<see cref="Probing.ProbeRequest.TurnTaken"/>)
/// and the lease is renewed every half <c>Jobs:LeaseMargin</c> until then. From the turn on it is not renewed: the
/// dialogue is bounded by <c>Probing:TotalTimeout</c>, and the lease (that plus the margin) outlives it, so a hung job
/// cannot hold a probe forever. A killed process renews nothing, and its probe is taken over one lease later.
/// </para>
/// Renewals use their own DbContext: the job's context is busy around them and a DbContext is not thread-safe.
/// </summary>
public sealed class ProbeLease : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;
    private readonly NotifierDb _db;
    private readonly int _probeId;
    private readonly string _owner;
    private readonly TimeSpan _length;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _gate = new(1);
    private Task _renewing = Task.CompletedTask;

    private ProbeLease(AsyncServiceScope scope, NotifierDb db, int probeId, string owner, DateTimeOffset until, TimeSpan length, TimeProvider time, ILogger log)
    {
        _log = log;
        _scope = scope;
        _db = db;
        _probeId = probeId;
        _owner = owner;
        Until = until;
        _length = length;
        _time = time;
    }

    /// <summary>The lease this job holds; the row still shows it exactly as long as nobody took the probe over.</summary>
    public DateTimeOffset Until { get; private set; }

    /// <summary>
    /// Claims the probe (queued, or running under a lease that ran out) with one conditional UPDATE (<see cref="LeaseClaim"/>);
    /// null when it is not claimable (done, or held by another job). Renewing starts at once and runs until <see cref="HoldForDialogueAsync"/>.
    /// </summary>
    public static async Task<ProbeLease?> ClaimAsync(IServiceScopeFactory scopes, int probeId, string owner, TimeSpan length, TimeSpan renewEvery, TimeProvider time, ILogger log, CancellationToken ct)
    {
        // A scope of its own: its DbContext (on whichever provider is configured) is the lease's alone.
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var now = time.GetUtcNow();
        var until = await LeaseClaim.TryClaimAsync(
            db.Probes.Where(p => p.Id == probeId && (p.Status == ProbeStatus.Queued || (p.Status == ProbeStatus.Running && p.LeaseUntil < now))),
            p => p.LeaseOwner, p => p.LeaseUntil, owner, now + length,
            s => s.SetProperty(p => p.Status, ProbeStatus.Running).SetProperty(p => p.StartedAt, now), ct);
        if (until is null)
        {
            await scope.DisposeAsync();
            return null;
        }
        var lease = new ProbeLease(scope, db, probeId, owner, until.Value, length, time, log);
        lease._renewing = lease.RenewAsync(renewEvery);
        return lease;
    }

    /// <summary>True when <paramref name="p"/> (freshly loaded) is still held by this lease.</summary>
    public bool Holds(Probe p) => p.Status == ProbeStatus.Running && p.LeaseOwner == _owner && p.LeaseUntil == Until;

    /// <summary>The probe has its turn: stop renewing and give the dialogue one whole lease from now.</summary>
    public async Task HoldForDialogueAsync(CancellationToken ct)
    {
        await StopRenewingAsync();
        if (!await ExtendAsync())
            throw new ProbeLeaseLostException($"probe {_probeId} was taken over by another job while it waited for its turn");
    }

    /// <summary>Whether the probe's case is closed now (asked at the turn, after a wait that may have been long).</summary>
    public Task<bool> CaseClosedAsync(CancellationToken ct) =>
        _db.Probes.AnyAsync(p => p.Id == _probeId && p.Case!.State == CaseState.Closed, ct);

    private async Task RenewAsync(TimeSpan every)
    {
        using var timer = new PeriodicTimer(every, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    if (!await ExtendAsync()) return;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Tried again at the next tick; if renewals keep failing the lease runs out, which is what it is for.
                    _log.LogWarning(e, "Renewing the lease of probe {ProbeId} failed", _probeId);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Not cancellable: an UPDATE cancelled after it committed would leave the row with a lease this object does not
    /// know, and the job would wrongly think it lost the probe.
    /// </summary>
    private async Task<bool> ExtendAsync()
    {
        await _gate.WaitAsync();
        try
        {
            var old = Until;
            var until = LeaseClaim.Stamp(_time.GetUtcNow() + _length);
            var renewed = await _db.Probes
                .Where(p => p.Id == _probeId && p.Status == ProbeStatus.Running && p.LeaseOwner == _owner && p.LeaseUntil == old)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeaseUntil, until), CancellationToken.None);
            if (renewed == 1) Until = until;
            return renewed == 1;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task StopRenewingAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
    }

    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        await _scope.DisposeAsync();
        _stop.Dispose();
        _gate.Dispose();
    }
}

/// <summary>Another job took the probe over (this job's lease ran out): this one must not run or record it.</summary>
public sealed class ProbeLeaseLostException(string message) : Exception(message);
