using System.Text.Json;

namespace Notifier.Tests.Hosting;

/// <summary>
/// The deployable's garbage collector settings (src/Notifier/Notifier.csproj, docs/operations.md "Memory"): what the
/// runtime reads from Notifier.runtimeconfig.json when the service starts, so a build that drops them shows here.
/// </summary>
public sealed class GcSettingsTests
{
    [Fact]
    public void TheService_RunsWorkstationGc_ThatCompactsAFragmentedGen2()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Notifier.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(7, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
    }
}
