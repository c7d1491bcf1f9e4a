using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Notifier.Jobs;
using Notifier.Probing;

namespace Notifier.Cases;

/// <summary>
/// This node's probes in flight: at most <c>Probing:MaxConcurrentProbes</c> at once, each an async
/// <see cref="ProbeRun"/> in a scope of its own, so a probe waiting on the network holds a slot, not a thread.
/// <para>
/// At-least-once is the probe row's, not this class's: a probe is claimed (<see cref="ProbeLease"/>) by its run here, and
/// one lost with the process (killed, or stopped mid-dialogue) is left running under a lease that runs out, after which
/// the dispatcher enqueues it again (or, on this node's next start, <see cref="CaseDispatcher.RecoverAsync"/> at once);
/// one lost before its claim is still queued and re-enqueued after <c>Jobs:RequeueAfter</c>. A slot bounds the claims as
/// well as the dialogues, so a node never claims more probes than it runs, and their leases never wait on this node.
/// </para>
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001:Types that own disposable fields should be disposable",
    Justification = "Neither holds an OS handle (AvailableWaitHandle and WaitHandle are never read); disposing them with the host would only make a run that ends late throw in its finally.")]
public sealed class ProbeRunner(IServiceScopeFactory scopes, IOptions<ProbingOptions> probing, IOptions<JobsOptions> jobs, ILogger<ProbeRunner> log) : IHostedService
{
    private readonly SemaphoreSlim _slots = new(probing.Value.MaxConcurrentProbes);
    /// <summary>Cancelled when the host stops: no new probe is started here.</summary>
    private readonly CancellationTokenSource _closed = new();
    /// <summary>Cancelled once the drain (<c>Jobs:DrainTimeout</c>) is over: the probes still running are stopped.</summary>
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    /// <summary>Probes of this node running now (claimed, waiting for their turn, or in their dialogue).</summary>
    public int Running => _running.Count;

    /// <summary>Waits for a free slot and starts the probe's run in it; returns once it has started, not when it ends.</summary>
    public async Task StartProbeAsync(int probeId, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _closed.Token);
        await _slots.WaitAsync(linked.Token);
        var run = Task.Run(() => RunAsync(probeId), CancellationToken.None);
        _running.TryAdd(run, true);
        // Removed once ended; a run that ended before TryAdd has its continuation run now, after the add.
        _ = run.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task RunAsync(int probeId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ProbeRun>().RunAsync(probeId, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            log.LogInformation("Probe {ProbeId} stopped with the service; it runs again after its lease (at once on this node's next start)", probeId);
        }
        catch (Exception e)
        {
            // ProbeRun records what a probe found or why it failed; what reaches here is the database failing around it.
            // The probe stays claimed, and its lease running out hands it to the dispatcher again.
            log.LogError(e, "Probe {ProbeId} could not be run or recorded; it is re-enqueued once its lease runs out", probeId);
        }
        finally
        {
            _slots.Release();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Graceful shutdown: no new probe starts, the probes in flight get <c>Jobs:DrainTimeout</c> to finish and be
    /// recorded (as a Hangfire job in its dialogue did), then they are cancelled and left to their leases.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _closed.CancelAsync();
        var running = Task.WhenAll(_running.Keys);
        // The drain is bounded by Jobs:DrainTimeout alone (Hosting sets the host's shutdown timeout above it).
        await running.WaitAsync(jobs.Value.DrainTimeout, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _stopping.CancelAsync();
        await running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
