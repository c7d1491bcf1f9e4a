using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Notifier.Intake;

namespace Notifier.Tests.Intake;

public class IntakeExtensionsTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddIntake();
        return builder.Build();
    }

    [Fact]
    public async Task AddIntake_BindsOptionsAndRegistersParsers_WhenConfigurationIsValid()
    {
        using var host = Build(new()
        {
            ["Intake:TrustedReceivers:Names:0"] = "mx1.abuse-desk.example",
            ["Intake:TrustedReceivers:Networks:0"] = "10.20.0.0/16",
            ["Intake:TrustedReceivers:Networks:1"] = "fd20:ab::/48",
            ["Intake:MaxCsvRows"] = "100",
        });
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<IntakeOptions>>().Value;
        Assert.Equal(100, options.MaxCsvRows);
        Assert.Equal(5 * 1024 * 1024, options.MaxCsvBytes);
        var trusted = host.Services.GetRequiredService<TrustedReceivers>();
        Assert.True(trusted.IsTrusted(null, IPAddress.Parse("10.20.3.4")));
        Assert.True(trusted.IsTrusted("mx1.abuse-desk.example", null));
        Assert.Same(trusted, host.Services.GetRequiredService<TrustedReceivers>());
        Assert.NotNull(host.Services.GetRequiredService<RelayCsvParser>());
        var sample = host.Services.GetRequiredService<SpamSampleParser>().Parse(SampleFiles.Read("postfix-two-trusted-hops.eml"));
        Assert.Equal("81.2.69.142:25", sample.SuspectedRelay?.CaseKey);
        await host.StopAsync();
    }

    [Fact]
    public async Task AddIntake_StartsWithDefaults_WhenSectionIsAbsent()
    {
        using var host = Build([]);
        await host.StartAsync();

        Assert.Empty(host.Services.GetRequiredService<TrustedReceivers>().Networks);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Intake:TrustedReceivers:Networks:0", "10.20.0.1/16", "Intake:TrustedReceivers:Networks: \"10.20.0.1/16\"")]
    [InlineData("Intake:TrustedReceivers:Names:0", "mx one", "Intake:TrustedReceivers:Names: \"mx one\"")]
    [InlineData("Intake:MaxCsvRows", "0", "MaxCsvRows")]
    [InlineData("Intake:MaxCsvBytes", "-5", "MaxCsvBytes")]
    [InlineData("Intake:MaxSampleBytes", "0", "MaxSampleBytes")]
    public async Task AddIntake_StopsStart_WhenConfigurationIsInvalid(string key, string value, string expected)
    {
        using var host = Build(new() { [key] = value });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }
}
