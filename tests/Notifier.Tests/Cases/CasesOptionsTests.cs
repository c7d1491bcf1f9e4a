using System.ComponentModel.DataAnnotations;
using Notifier.Cases;
using Notifier.Probing;

namespace Notifier.Tests.Cases;

public sealed class CasesOptionsTests
{
    private static List<ValidationResult> Errors(CasesOptions o)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(o, new ValidationContext(o), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Validate_RefusesRcptOnly_WhenItIsTheInitialProbeMode()
    {
        var error = Assert.Single(Errors(new CasesOptions { ProbeMode = ProbeMode.RcptOnly }));

        Assert.Contains("Cases:ProbeMode must be quick or full", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("retests", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ProbeMode.Quick)]
    [InlineData(ProbeMode.Full)]
    public void Validate_Passes_WhenTheInitialProbeModeSendsATestMessage(ProbeMode mode)
    {
        Assert.Empty(Errors(new CasesOptions { ProbeMode = mode }));
    }

    [Fact]
    public void Validate_RefusesAModeThatIsNoMode_WhenANumberWasBound()
    {
        Assert.Single(Errors(new CasesOptions { ProbeMode = (ProbeMode)7 }));
    }
}
