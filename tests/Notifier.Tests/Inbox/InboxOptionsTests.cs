using System.ComponentModel.DataAnnotations;
using Notifier.Inbox;

namespace Notifier.Tests.Inbox;

public sealed class InboxOptionsTests
{
    private static List<ValidationResult> Errors(InboxOptions o)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(o, new ValidationContext(o), results, validateAllProperties: true);
        return results;
    }

    [Theory]
    [InlineData("*.example.org")]
    [InlineData("mx1.example.org; dkim=pass")]
    [InlineData("")]
    public void Validate_NamesTheEntry_WhenTrustedReceiverIsNotAnAuthservId(string id)
    {
        var error = Assert.Single(Errors(new InboxOptions { TrustedReceivers = ["mx.desk.test", id] }));

        Assert.Contains($"Inbox:TrustedReceivers: \"{id}\" is not an authserv-id", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Passes_WhenTrustedReceiversAreHostNamesOrEmpty()
    {
        Assert.Empty(Errors(new InboxOptions { TrustedReceivers = ["mx1.example.org", "MX2.Example.Org."] }));
        Assert.Empty(Errors(new InboxOptions()));
    }
}
