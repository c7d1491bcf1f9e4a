using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Notifier.Tests.Hosting;

/// <summary>
/// The real service as a user starts it (<c>dotnet Notifier.dll</c>, no arguments) in a folder of its own: its
/// <c>data/</c> (database, keys, outbox) lands there as it would under <c>src/Notifier</c>, it listens on a port the
/// OS picks on loopback (read back from its "Now listening on" line), and everything it prints is kept, so a test
/// reads the first admin's password where a new user does: on the console.
/// </summary>
public sealed partial class RunningNotifier : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A restarted service took over the folder: disposing this one leaves it alone.</summary>
    private bool _handedOver;

    private RunningNotifier(string directory, Dictionary<string, string> environment)
    {
        Directory = directory;
        _environment = environment;
        _process = NotifierProcess.Start([], environment, directory, Line);
    }

    /// <summary>The working directory: <c>data/notifier.db</c>, <c>data/keys/</c> and <c>data/outbox/</c> are in it.</summary>
    public string Directory { get; }

    public string OutboxDirectory => Path.Combine(Directory, "data", "outbox");

    public Uri BaseAddress => _listening.Task.IsCompletedSuccessfully ? _listening.Task.Result : throw new InvalidOperationException("the service is not listening");

    /// <summary>What the service printed so far, one line each.</summary>
    public IReadOnlyList<string> Output
    {
        get { lock (_output) return [.. _output]; }
    }

    /// <summary>
    /// Starts the service with these settings (configuration keys such as <c>Probing:AllowPrivateTargets</c>,
    /// passed as the <c>Notifier__…</c> environment variables an operator would set) and waits until it listens.
    /// </summary>
    /// <summary>The environment variable an operator sets for <paramref name="setting"/> (<c>Notices:Smarthost:Port</c> → <c>Notifier__Notices__Smarthost__Port</c>).</summary>
    public static string EnvironmentVariable(string setting) => "Notifier__" + setting.Replace(":", "__", StringComparison.Ordinal);

    public static async Task<RunningNotifier> StartAsync(IReadOnlyDictionary<string, string> settings, TimeSpan? within = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("notifier-service-").FullName;
        var environment = settings.ToDictionary(s => EnvironmentVariable(s.Key), s => s.Value, StringComparer.Ordinal);
        // Port 0: the OS picks a free one; Kestrel prints which. A test that must know the address before the start
        // (a public base URL in the notices) passes Urls itself.
        environment.TryAdd("Notifier__Urls", "http://127.0.0.1:0");
        return await StartInAsync(directory, environment, within);
    }

    /// <summary>
    /// Kills the service (SIGKILL) and starts it again in the same folder with the same settings, as an operator restarts it:
    /// the database, keys and first admin are there already. Dispose the returned service; this one is done.
    /// </summary>
    public async Task<RunningNotifier> RestartAsync(TimeSpan? within = null, IReadOnlyDictionary<string, string>? changed = null)
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _handedOver = true;
        var environment = new Dictionary<string, string>(_environment, StringComparer.Ordinal);
        // Changed settings (another Jobs:NodeName: another node taking over the same database).
        foreach (var (key, value) in changed ?? new Dictionary<string, string>())
            environment["Notifier__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return await StartInAsync(Directory, environment, within);
    }

    /// <summary>The service's process id, as <c>kill</c> names it.</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Sends the process <paramref name="signal"/> as an operator's <c>kill -SIGNAL pid</c> (or systemd, or a container
    /// runtime) would: <c>KILL</c> ends it at once, with nothing cleaned up; <c>TERM</c> asks it to shut down.
    /// </summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {ProcessId} exited {kill.ExitCode}");
    }

    /// <summary>Waits for the process to end and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        await _process.WaitForExitAsync().WaitAsync(within);
        return _process.ExitCode;
    }

    private static async Task<RunningNotifier> StartInAsync(string directory, Dictionary<string, string> environment, TimeSpan? within)
    {
        var service = new RunningNotifier(directory, environment);
        var exited = service._process.WaitForExitAsync();
        // Three minutes by default: a start is seconds on a quiet machine, but test collections start several
        // processes at once on two cores (each building its model and migrating) and 60 s was seen to run out.
        var first = await Task.WhenAny(service._listening.Task, exited, Task.Delay(within ?? TimeSpan.FromMinutes(3)));
        if (first != service._listening.Task)
        {
            var output = string.Join('\n', service.Output);
            await service.DisposeAsync();
            throw new InvalidOperationException($"the service did not start listening ({(first == exited ? "it exited" : "timed out")}):\n{output}");
        }
        return service;
    }

    /// <summary>
    /// The password the first start printed for the account "admin" (AuthExtensions.EnsureFirstAdminAsync): the line
    /// after the one announcing it.
    /// </summary>
    public string FirstAdminPassword()
    {
        var lines = Output;
        var at = lines.ToList().FindIndex(l => l.Contains("created the operator account \"admin\" with the password", StringComparison.Ordinal));
        if (at < 0 || at + 1 >= lines.Count) throw new InvalidOperationException("the service printed no first admin password:\n" + string.Join('\n', lines));
        return lines[at + 1].Trim();
    }

    /// <summary>Runs a CLI verb of the same binary on the same configuration and folder (the same database), as an operator would.</summary>
    public async Task<string> RunVerbAsync(params string[] args)
    {
        var (code, stdout, stderr) = await NotifierProcess.RunAsync(args, _environment, Directory);
        if (code != 0) throw new InvalidOperationException($"'{string.Join(' ', args)}' exited {code}: {stderr}{stdout}");
        return stdout;
    }

    private void Line(string line)
    {
        lock (_output) _output.Add(line);
        if (ListeningLine().Match(line) is { Success: true } m) _listening.TrySetResult(new Uri(m.Groups[1].Value));
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (_handedOver) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
