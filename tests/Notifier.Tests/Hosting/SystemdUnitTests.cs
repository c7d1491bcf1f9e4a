using System.Diagnostics;

namespace Notifier.Tests.Hosting;

/// <summary>deploy/notifier.service as systemd itself reads it.</summary>
public sealed class SystemdUnitTests
{
    private static string UnitFile => Path.Combine(Notifier.Tests.Lab.Lab.RepositoryRoot(), "deploy", "notifier.service");

    [Fact]
    public async Task NotifierService_PassesSystemdAnalyzeVerify_WithoutAWarning()
    {
        // systemd-analyze prints a line for every setting it ignores (a misspelt key, a bad value) yet exits 0, so
        // both the exit code and silence count. --man=no: no man pages are installed to check Documentation= against.
        var psi = new ProcessStartInfo("/usr/bin/systemd-analyze", ["verify", "--man=no", UnitFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("", (await stdout + await stderr).Trim());
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void NotifierService_RunsAsItsOwnUserWithStateInVarLibNotifier_WhenRead()
    {
        var settings = File.ReadAllLines(UnitFile)
            .Where(l => l.Contains('=', StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2))
            .ToLookup(kv => kv[0], kv => kv[1], StringComparer.Ordinal);

        // Type=notify is what UseSystemd() (Microsoft.Extensions.Hosting.Systemd) answers with READY=1.
        Assert.Equal(["notify"], settings["Type"]);
        Assert.Equal(["notifier"], settings["User"]);
        Assert.Equal(["notifier"], settings["StateDirectory"]);
        Assert.Equal(["/var/lib/notifier"], settings["WorkingDirectory"]);
        Assert.Equal(["strict"], settings["ProtectSystem"]);
        Assert.Equal(["yes"], settings["NoNewPrivileges"]);
    }
}
