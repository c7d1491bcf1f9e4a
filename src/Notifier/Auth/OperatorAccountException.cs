namespace Notifier.Auth;

/// <summary>
/// An operator-account change that was refused (no such operator, a name taken, an unknown role, the last enabled
/// admin): the message says why in words the admin page and the CLI show as they are. Nothing was changed.
/// </summary>
public sealed class OperatorAccountException(string message) : Exception(message);
