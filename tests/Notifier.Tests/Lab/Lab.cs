using System.Diagnostics;
using System.Net;

namespace Notifier.Tests.Lab;

/// <summary>
/// The loopback lab of real servers (scripts/lab/lab.sh): Postfix relays configured open, closed, percent-only,
/// partially open and STARTTLS-only, one the tests switch between open and closed, a sink and Dovecot. scripts/test.sh starts it once and passes its
/// lab.env in NOTIFIER_LAB_ENV; a test run started another way (an IDE, dotnet test) starts it here, once.
/// </summary>
public sealed class Lab : IDisposable
{
    private readonly Dictionary<string, string> _values;
    private readonly string? _startedDir;
    private static int _started;

    public Lab()
    {
        var env = Environment.GetEnvironmentVariable("NOTIFIER_LAB_ENV");
        if (string.IsNullOrEmpty(env) || !File.Exists(env))
        {
            // One lab per fixture: each collection that uses the lab (LabCollection, LabBesideCollection, TwoNodesCollection) gets its own.
            _startedDir = Path.Combine(Path.GetTempPath(), $"notifier-lab-tests-{Environment.ProcessId}-{Interlocked.Increment(ref _started)}");
            Run("start", _startedDir);
            env = Path.Combine(_startedDir, "lab.env");
        }
        _values = File.ReadAllLines(env)
            .Where(l => l.Contains('=', StringComparison.Ordinal))
            .Select(l => l.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
    }

    public string this[string key] => _values.TryGetValue(key, out var v) ? v : throw new InvalidOperationException($"the lab has no {key}: is scripts/lab/lab.sh up to date?");

    public IPEndPoint EndPoint(string name) => IPEndPoint.Parse(this[$"NOTIFIER_LAB_{name}"]);

    public string CanaryDomain => this["NOTIFIER_LAB_CANARY_DOMAIN"];

    /// <summary>Waits for a message containing <paramref name="needle"/> to land in the sink's Maildir.</summary>
    public async Task<string?> WaitForSinkMessageAsync(string needle, TimeSpan within)
    {
        var maildir = this["NOTIFIER_LAB_SINK_MAILDIR"];
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var sub in new[] { "new", "cur" })
            {
                var dir = Path.Combine(maildir, sub);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.EnumerateFiles(dir))
                {
                    var text = await File.ReadAllTextAsync(file);
                    if (text.Contains(needle, StringComparison.Ordinal)) return text;
                }
            }
            await Task.Delay(100);
        }
        return null;
    }

    /// <summary>The switch relay's settings (<see cref="SwitchRelay"/>).</summary>
    public const string Open = "open", Closed = "closed";

    /// <summary>
    /// Sets the lab's switch relay (NOTIFIER_LAB_SWITCH) to relay for everyone (<see cref="Open"/>, as it starts)
    /// or to refuse relaying (<see cref="Closed"/>), as an owner fixing it would: lab.sh rewrites its
    /// smtpd_relay_restrictions, reloads it and returns once a RCPT is answered as the setting says. Only tests of
    /// the <see cref="LabCollection"/> may call it (they never run at the same time), and they leave it open.
    /// </summary>
    public void SwitchRelay(string setting) => Run("relay", this["NOTIFIER_LAB_DIR"], "switch", setting);

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Notifier.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Notifier.sln) above " + AppContext.BaseDirectory);
    }

    private static void Run(string verb, params string[] args)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "lab", "lab.sh");
        using var p = Process.Start(new ProcessStartInfo("bash", [script, verb, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)) || p.ExitCode != 0)
            throw new InvalidOperationException($"lab.sh {verb} failed: {output.Result}\n{error.Result}");
    }

    public void Dispose()
    {
        if (_startedDir is null) return;
        Run("stop", _startedDir);
        try { Directory.Delete(_startedDir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// The tests that use the lab's shared state: they run one after another, because a service polling the canary
/// mailbox moves every message it finds (and PostfixProbeTests reads that Maildir), the switch relay has one setting
/// at a time, and the greylisting relay remembers who tried. Tests that use none of these run beside them in
/// <see cref="LabBesideCollection"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<Lab>
{
    public const string Name = "lab";
}
