using Hangfire;

namespace Notifier.Cases;

/// <summary>
/// The Hangfire job of one queued probe. Hangfire distributes probes across nodes, but its workers are threads, and a
/// probe spends nearly all its time waiting on the network (a closed relay's dialogue is a dozen round trips): a
/// worker held for the dialogue bounded a node to <c>Jobs:WorkerCount</c> probes at once. So the job only waits for
/// one of this node's probe slots (<see cref="ProbeRunner"/>, <c>Probing:MaxConcurrentProbes</c>) and returns; the
/// probe runs on (<see cref="ProbeRun"/>) without a thread while it waits. A node whose slots are all taken keeps
/// its workers waiting here, so it takes no more jobs than it can run and the others' workers take the rest.
/// </summary>
public sealed class ProbeJob(ProbeRunner runner)
{
    [AutomaticRetry(Attempts = 3)]
    public Task RunAsync(int probeId, CancellationToken cancellationToken) => runner.StartProbeAsync(probeId, cancellationToken);
}
