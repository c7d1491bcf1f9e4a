using System.Runtime.CompilerServices;

namespace Notifier.Tests;

/// <summary>Settings of the test process itself, applied once before any test runs.</summary>
internal static class TestProcess
{
    /// <summary>
    /// Test classes run in parallel, and many of them host a whole service (web host, Hangfire server with its
    /// workers, dispatcher) in this one process: far more hosts than production ever puts in one. The thread pool
    /// grows by about one thread per half second once its minimum is busy, so on a 2-core machine a burst of hosts
    /// starting at once can leave a job waiting tens of seconds for a thread, and tests waiting for a dispatcher
    /// round fail by time alone. A higher minimum lets the pool start threads at once.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
