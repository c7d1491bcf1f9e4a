using System.ComponentModel.DataAnnotations;

namespace Notifier.Intake;

/// <summary>The <c>Intake</c> configuration section; validated at start.</summary>
public sealed class IntakeOptions : IValidatableObject
{
    public const string Section = "Intake";

    /// <summary>Our own MTAs: Received hops they hand over are skipped when looking for the relay that sent a spam sample.</summary>
    public TrustedReceiversOptions TrustedReceivers { get; set; } = new();

    /// <summary>The largest CSV import accepted, in bytes; a larger file is refused whole.</summary>
    [Range(1, 1024 * 1024 * 1024)]
    public int MaxCsvBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>The most data rows in one CSV import; a file with more is refused whole.</summary>
    [Range(1, 1_000_000)]
    public int MaxCsvRows { get; set; } = 50_000;

    /// <summary>The largest spam sample (.eml) accepted, in bytes.</summary>
    [Range(1, 1024 * 1024 * 1024)]
    public int MaxSampleBytes { get; set; } = 10 * 1024 * 1024;

    // ValidateDataAnnotations does not descend into nested objects; the trusted receivers are checked here.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        TrustedReceivers.Errors().Select(e => new ValidationResult(e, [nameof(TrustedReceivers)]));
}
