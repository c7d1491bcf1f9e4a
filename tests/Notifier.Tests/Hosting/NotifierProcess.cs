using System.Diagnostics;

namespace Notifier.Tests.Hosting;

/// <summary>The real binary as a user runs it (<c>dotnet Notifier.dll …</c>): the CLI verbs and the service.</summary>
public static class NotifierProcess
{
    private static readonly string DefaultDirectory = Directory.CreateTempSubdirectory("notifier-cli-").FullName;

    /// <summary>Starts the binary; every line it prints goes to <paramref name="output"/> (if given).</summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, Action<string>? output = null)
    {
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Notifier.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Key files and databases a verb creates land here, not in the test output folder.
            WorkingDirectory = workingDirectory ?? DefaultDirectory,
        };
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        if (output is not null)
        {
            p.OutputDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
            p.ErrorDataReceived += (_, e) => { if (e.Data is not null) output(e.Data); };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
        }
        return p;
    }

    /// <summary>Runs a verb to its end and returns its exit code and what it printed.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        using var p = Start(args, environment, workingDirectory);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            await p.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            p.Kill(entireProcessTree: true);
            throw;
        }
        return (p.ExitCode, await stdout, await stderr);
    }
}
