namespace Notifier.Pages.Owner;

public static class OwnerRetestExtensions
{
    /// <summary>"I fixed it — test again now" on the owner page: its limits (<c>OwnerPage</c>, validated at start) and services.</summary>
    public static IHostApplicationBuilder AddOwnerRetest(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OwnerRetestOptions>()
            .Bind(builder.Configuration.GetSection(OwnerRetestOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<OwnerRetestClientLimiter>();
        builder.Services.AddScoped<OwnerRetests>();
        return builder;
    }
}
