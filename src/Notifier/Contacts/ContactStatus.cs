namespace Notifier.Contacts;

/// <summary>Whether a candidate may be chosen; every status but <see cref="Active"/> comes with a reason.</summary>
public enum ContactStatus
{
    Active,
    Bounced,
    Suppressed,
    OperatorDisabled,
}
