namespace Notifier.Auth;

/// <summary>
/// Marks a page whose POST a viewer may send although it changes nothing in the desk's data (signing out), so
/// <see cref="ChangesNeedOperatorFilter"/> lets it through.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ViewersMayPostAttribute : Attribute;
