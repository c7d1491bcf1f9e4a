namespace Notifier.Probing;

/// <summary>One relay test: an envelope sender and a recipient, both exactly as sent inside the angle brackets.</summary>
/// <param name="Name">Stable identifier (shown in transcripts, stored with the probe).</param>
/// <param name="Class">See <see cref="VariantClass"/>.</param>
/// <param name="MailFrom">The reverse-path without brackets; empty for the null sender.</param>
/// <param name="RcptTo">The forward-path without brackets. Always ends at the canary domain, directly or routed.</param>
public sealed record RelayVariant(string Name, string Class, string MailFrom, string RcptTo);
