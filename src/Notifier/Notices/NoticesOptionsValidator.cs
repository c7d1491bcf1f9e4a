using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Notifier.Notices;

/// <summary>
/// What data annotations cannot say about <see cref="NoticesOptions"/>: the addresses are single mail addresses,
/// the nested <c>Notices:Smarthost</c> section is valid, and AUTH has both a user and a password.
/// </summary>
internal sealed class NoticesOptionsValidator : IValidateOptions<NoticesOptions>
{
    public ValidateOptionsResult Validate(string? name, NoticesOptions options)
    {
        var errors = new List<string>();
        Address(errors, "Notices:DeskAddress", options.DeskAddress);
        Address(errors, "Notices:DeskReplyAddress", options.DeskReplyAddress);
        Address(errors, "Notices:OptOutAddress", options.OptOutAddress);
        if (options.DeskName?.Any(char.IsControl) == true) errors.Add("Notices:DeskName must be one line");
        var smarthost = options.Smarthost;
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(smarthost, new ValidationContext(smarthost), results, validateAllProperties: true))
            errors.AddRange(results.Select(r => r.ErrorMessage ?? "Notices:Smarthost is invalid"));
        if (!Enum.IsDefined(smarthost.Security)) errors.Add("Notices:Smarthost:Security must be StartTls, ImplicitTls or None");
        if (!string.IsNullOrEmpty(smarthost.UserName) && string.IsNullOrEmpty(smarthost.Password))
            errors.Add("Notices:Smarthost:Password is required when Notices:Smarthost:UserName is set");
        if (string.IsNullOrEmpty(smarthost.UserName) && !string.IsNullOrEmpty(smarthost.Password))
            errors.Add("Notices:Smarthost:UserName is required when Notices:Smarthost:Password is set");
        if (!string.IsNullOrEmpty(smarthost.Host) && Uri.CheckHostName(smarthost.Host) == UriHostNameType.Unknown)
            errors.Add($"Notices:Smarthost:Host '{smarthost.Host}' is not a host name or address");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Address(List<string> errors, string key, string? value)
    {
        if (string.IsNullOrEmpty(value)) return; // [Required] says so
        if (value.Any(char.IsControl) || !MailboxAddress.TryParse(value, out var address) || address.Address != value.Trim() || !address.Address.Contains('@', StringComparison.Ordinal))
            errors.Add($"{key} must be one mail address such as abuse@example.org, not '{value}'");
    }
}
