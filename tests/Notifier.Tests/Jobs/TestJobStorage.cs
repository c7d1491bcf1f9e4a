using Hangfire.InMemory;
using Hangfire.Logging;

namespace Notifier.Tests.Jobs;

/// <summary>
/// In-memory job storage for tests that drive the dispatcher by hand. Hangfire's log provider is process-global and
/// each started service (WebApplicationFactory) points it at its own LoggerFactory; once that service is disposed,
/// creating storage fails with ObjectDisposedException. These storages log nothing.
/// </summary>
public static class TestJobStorage
{
    public static InMemoryStorage Create()
    {
        LogProvider.SetCurrentLogProvider(Silent.Instance);
        return new InMemoryStorage();
    }

    private sealed class Silent : ILogProvider, ILog
    {
        public static readonly Silent Instance = new();

        public ILog GetLogger(string name) => this;

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
