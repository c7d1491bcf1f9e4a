using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Notifier.Tests.Hosting;

/// <summary>
/// The Dockerfile and docker-compose.yml as the tools read them, without a container engine: Debian's docker-compose
/// resolves and validates the compose file, the Dockerfile's instructions are read as the builder reads them, and the
/// image's HEALTHCHECK command is run against the real service.
/// </summary>
public sealed partial class ContainerDeploymentTests
{
    private static string Root => Notifier.Tests.Lab.Lab.RepositoryRoot();

    private static async Task<(int Code, string Out, string Err)> RunAsync(string file, IEnumerable<string> args, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The defaults in docker-compose.yml (${MSSQL_SA_PASSWORD:-…}) are what a first `docker compose up` gets.
        psi.Environment.Remove("MSSQL_SA_PASSWORD");
        psi.Environment.Remove("NOTIFIER_INBOX_PASSWORD");
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        return (p.ExitCode, await stdout, await stderr);
    }

    /// <summary>The file as docker-compose resolves it (anchors merged, variables substituted), as JSON.</summary>
    private static async Task<JsonElement> ResolvedComposeAsync()
    {
        var (code, yaml, err) = await RunAsync("/usr/bin/docker-compose", ["config"]);
        Assert.True(code == 0, $"docker-compose config exited {code}: {err}");
        // python3-yaml comes with Debian's docker-compose (its dependency); Debian's own python3, not a pyenv one.
        var (jsonCode, json, jsonErr) = await RunAsync("/usr/bin/python3",
            ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], yaml);
        Assert.True(jsonCode == 0, jsonErr);
        return JsonDocument.Parse(json).RootElement;
    }

    private static Dictionary<string, string> Environment(JsonElement service) =>
        service.GetProperty("environment").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);

    [Fact]
    public async Task ComposeFile_PassesDockerComposeConfig_WithoutAWarning()
    {
        // -q: validate only. docker-compose warns on stderr (an unset variable, an unknown key) and still exits 0.
        var (code, stdout, stderr) = await RunAsync("/usr/bin/docker-compose", ["config", "-q"]);

        Assert.Equal("", (stdout + stderr).Trim());
        Assert.Equal(0, code);
    }

    [Fact]
    public async Task ComposeFile_StartsSqlServerMailAndTwoNodes_OneOfThemMigrating()
    {
        var services = (await ResolvedComposeAsync()).GetProperty("services");

        Assert.Equal(["mail", "sqlserver", "web", "worker"], services.EnumerateObject().Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.StartsWith("mcr.microsoft.com/mssql/server:", services.GetProperty("sqlserver").GetProperty("image").GetString(), StringComparison.Ordinal);
        var web = Environment(services.GetProperty("web"));
        var worker = Environment(services.GetProperty("worker"));
        Assert.Equal("all", web["Notifier__Node__Role"]);
        Assert.Equal("worker", worker["Notifier__Node__Role"]);
        Assert.All([web, worker], e => Assert.Equal("SqlServer", e["Notifier__Database__Provider"]));
        // One node migrates; the other would refuse a pending migration, so it starts after the first is healthy.
        Assert.Equal("true", web["Notifier__Database__MigrateOnStart"]);
        Assert.False(worker.ContainsKey("Notifier__Database__MigrateOnStart"));
        Assert.Equal("service_healthy", services.GetProperty("worker").GetProperty("depends_on").GetProperty("web").GetProperty("condition").GetString());
        // Same database, inbox, smarthost and canary domain on both; the key folder is one volume.
        foreach (var key in web.Keys.Where(k => k is not ("Notifier__Node__Role" or "Notifier__Jobs__NodeName" or "Notifier__Database__MigrateOnStart")))
            Assert.True(worker.TryGetValue(key, out var value) && value == web[key], $"{key} differs between the nodes");
        Assert.Equal(services.GetProperty("web").GetProperty("volumes")[0].ToString(), services.GetProperty("worker").GetProperty("volumes")[0].ToString());
        Assert.Equal("mail", web["Notifier__Inbox__Host"]);
        Assert.Equal("mail", web["Notifier__Notices__Smarthost__Host"]);
        // The SA password reaches SQL Server and the connection string alike.
        var password = Environment(services.GetProperty("sqlserver"))["MSSQL_SA_PASSWORD"];
        Assert.Contains($"Password={password};", web["Notifier__Database__ConnectionString"], StringComparison.Ordinal);
        // The dashboard is published on the host's loopback only.
        Assert.All(services.GetProperty("web").GetProperty("ports").EnumerateArray(), p => Assert.StartsWith("127.0.0.1:", p.GetString(), StringComparison.Ordinal));
    }

    /// <summary>The Dockerfile's instructions: comments dropped, continuation lines joined (as BuildKit parses it).</summary>
    private static List<(string Instruction, string Arguments)> DockerfileInstructions()
    {
        var text = File.ReadAllText(Path.Combine(Root, "Dockerfile"));
        var lines = text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')).ToList();
        var joined = string.Join('\n', lines).Replace("\\\n", " ", StringComparison.Ordinal);
        return joined.Split('\n').Where(l => l.Trim().Length > 0)
            .Select(l => l.Trim().Split(' ', 2))
            .Select(p => (p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : ""))
            .ToList();
    }

    [Fact]
    public void Dockerfile_BuildsWithTheSdkAndRunsOnTheAspNetImage_AsAnUnprivilegedUser()
    {
        var instructions = DockerfileInstructions();
        var stages = instructions.Where(i => i.Instruction == "FROM").Select(i => i.Arguments).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[1], StringComparison.Ordinal);
        var final = instructions.SkipWhile(i => i.Arguments != stages[1]).ToList();
        Assert.Equal("$APP_UID", Assert.Single(final, i => i.Instruction == "USER").Arguments);
        Assert.Equal("/var/lib/notifier", Assert.Single(final, i => i.Instruction == "WORKDIR").Arguments);
        Assert.Equal("/var/lib/notifier", Assert.Single(final, i => i.Instruction == "VOLUME").Arguments);
        // The running image fetches nothing: no package manager or download in its stage, the restore locked.
        Assert.DoesNotContain(final, i => i.Instruction == "RUN" && DownloadTool().IsMatch(i.Arguments));
        Assert.Contains(instructions, i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal) && i.Arguments.Contains("--locked-mode", StringComparison.Ordinal));
        // The port the container listens on is the one compose publishes.
        Assert.Contains("Notifier__Urls=http://+:8080", Assert.Single(final, i => i.Instruction == "ENV").Arguments, StringComparison.Ordinal);
        Assert.Equal("8080", Assert.Single(final, i => i.Instruction == "EXPOSE").Arguments);
    }

    [Fact]
    public void Dockerfile_BuildsWithTheSdkThatGlobalJsonPins_AndHasGlobalJsonBeforeTheRestore()
    {
        using var globalJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "global.json")));
        var pinned = globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString();
        var instructions = DockerfileInstructions();

        var build = instructions.First(i => i.Instruction == "FROM").Arguments;
        var copied = instructions.FindIndex(i => i.Instruction == "COPY" && i.Arguments.Split(' ').SkipLast(1).Contains("global.json"));
        var restore = instructions.FindIndex(i => i.Instruction == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));

        Assert.Equal($"mcr.microsoft.com/dotnet/sdk:{pinned} AS build", build);
        Assert.InRange(copied, 0, restore - 1);
    }

    [GeneratedRegex(@"\b(apt-get|apt|curl|wget|dotnet\s+(restore|tool))\b")]
    private static partial Regex DownloadTool();

    /// <summary>The HEALTHCHECK's command as an exec array, pointed at this build and the given URL.</summary>
    private static string[] HealthCheckArguments(Uri live)
    {
        var healthcheck = Assert.Single(DockerfileInstructions(), i => i.Instruction == "HEALTHCHECK").Arguments;
        var exec = healthcheck[(healthcheck.IndexOf("CMD [", StringComparison.Ordinal) + 4)..];
        var command = JsonSerializer.Deserialize<string[]>(exec)!;
        Assert.Equal(["dotnet", "/opt/notifier/Notifier.dll", "health"], command[..3]);
        Assert.Equal("http://127.0.0.1:8080/healthz/live", command[3]);
        return [.. command[2..^1], live.ToString()];
    }

    [Fact]
    public async Task HealthCheck_Passes_WhileTheServiceAnswers_AndFails_OnAnErrorOrOnceItIsGone()
    {
        var service = await RunningNotifier.StartAsync(new Dictionary<string, string>
        {
            ["Contacts:NameServers:0"] = "127.0.0.1:9",
            ["Contacts:RdapBootstrapUrl"] = "http://127.0.0.1:9/rdap/bootstrap.json",
        });
        var live = new Uri(service.BaseAddress, "/healthz/live");
        try
        {
            var (up, upOut, upErr) = await NotifierProcess.RunAsync(HealthCheckArguments(live));
            Assert.True(up == 0, upOut + upErr);
            Assert.Contains("200", upOut, StringComparison.Ordinal);

            var (error, errorOut, _) = await NotifierProcess.RunAsync(HealthCheckArguments(new Uri(service.BaseAddress, "/healthz/no-such-check")));
            Assert.Equal(1, error);
            Assert.Contains("404", errorOut, StringComparison.Ordinal);
        }
        finally
        {
            await service.DisposeAsync();
        }

        var (down, _, downErr) = await NotifierProcess.RunAsync(HealthCheckArguments(live));
        Assert.Equal(1, down);
        Assert.Contains(live.ToString(), downErr, StringComparison.Ordinal);
    }
}
