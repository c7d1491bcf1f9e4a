namespace Notifier.Hosting;

/// <summary>Tags of the health checks (ASP.NET Core health checks), which decide which endpoint runs which check.</summary>
public static class HealthTags
{
    /// <summary>
    /// The check connects to another server (IMAP, the smarthost, DNS): only /healthz/ready runs it, with
    /// <see cref="ExternalTimeout"/>, so a hanging server cannot hold a probe longer than that.
    /// </summary>
    public const string External = "external";

    public static readonly TimeSpan ExternalTimeout = TimeSpan.FromSeconds(10);
}
