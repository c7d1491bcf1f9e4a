namespace Notifier.Contacts;

/// <summary>What an operator said about an address.</summary>
public enum ManualContactAction
{
    /// <summary>Use this address, ranked above every looked-up one.</summary>
    Add,

    /// <summary>Like <see cref="Add"/>, and ahead of the other manual entries.</summary>
    Prefer,

    /// <summary>Never choose this address (status operator-disabled), whatever source found it.</summary>
    Disable,
}

/// <summary>A manual entry as the DB layer stores it; it survives re-lookups because ranking re-applies it each time.</summary>
public sealed record ManualContact(string Address, ManualContactAction Action, ContactScope Scope, string AddedBy, string? Reason = null);
