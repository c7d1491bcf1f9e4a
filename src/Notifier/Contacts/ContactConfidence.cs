namespace Notifier.Contacts;

/// <summary>How sure we are that the address reaches the people responsible for the IP.</summary>
public enum ContactConfidence
{
    Low,
    Medium,
    High,
}
