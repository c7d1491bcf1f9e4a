namespace Notifier.Probing;

/// <summary>The configured DKIM signer for test messages, or none (<c>Probing:DkimKeyFile</c> empty).</summary>
public sealed record DkimKey(TestMessageSigner? Signer);
