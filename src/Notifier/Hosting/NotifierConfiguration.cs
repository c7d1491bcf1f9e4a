namespace Notifier.Hosting;

public static class NotifierConfiguration
{
    public const string EnvironmentPrefix = "Notifier__";

    /// <summary>
    /// <c>Notifier__Section__Key</c> environment variables override appsettings.json (and unprefixed variables),
    /// so the service's settings never clash with another program's environment.
    /// </summary>
    public static IConfigurationBuilder AddNotifierEnvironment(this IConfigurationBuilder configuration) =>
        configuration.AddEnvironmentVariables(EnvironmentPrefix);
}
