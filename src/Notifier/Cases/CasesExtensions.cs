namespace Notifier.Cases;

public static class CasesExtensions
{
    public static IHostApplicationBuilder AddCases(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<CaseIntake>();
        builder.Services.AddScoped<TestMessageJob>();
        builder.Services.AddScoped<ContactLookupJob>();
        builder.Services.AddScoped<Notifier.Contacts.CaseContacts>();
        return builder;
    }
}
