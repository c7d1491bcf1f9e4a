using Microsoft.Extensions.Options;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages.Owner;

/// <summary>A notified case with one contact and a live owner link, made by the real <see cref="OwnerLinks"/>.</summary>
public sealed record OwnerSeed(int CaseId, long ContactId, long LinkId, string Token)
{
    public string Url(string? sub = null) => sub is null ? $"/r/{Token}" : $"/r/{Token}/{sub}";

    /// <param name="country">The contact's country (DE makes the page German unless a sent notice says otherwise).</param>
    /// <param name="shape">Sets the case's fields before it is saved (state, host name, …).</param>
    public static async Task<OwnerSeed> CreateAsync(NotifierFactory factory, string contact = "abuse@example.net", string? country = null,
        Action<Case>? shape = null, string? address = null)
    {
        var c = await CaseSeed.AddAsync(factory, address: address, shape: x =>
        {
            x.State = CaseState.Monitoring;
            x.FirstNoticeAt = DateTimeOffset.UtcNow.AddDays(-1);
            shape?.Invoke(x);
        });
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<NotifierDb>();
        var row = CaseSeed.Contact(c, contact);
        row.Country = country;
        db.CaseContacts.Add(row);
        await db.SaveChangesAsync();
        var links = new OwnerLinks(db, Options.Create(new NoticePolicyOptions { PublicBaseUrl = "https://desk.example" }));
        var (url, _) = (await links.CreateAsync(c.Id, row.Id, DateTimeOffset.UtcNow, CancellationToken.None))!.Value;
        await db.SaveChangesAsync();
        var token = url[(url.LastIndexOf('/') + 1)..];
        var link = db.OwnerLinks.Single(l => l.TokenHash == OwnerLinks.Hash(token));
        return new OwnerSeed(c.Id, row.Id, link.Id, token);
    }

    /// <summary>An anonymous browser-like client (no redirects followed, cookies kept for antiforgery).</summary>
    public static HttpClient Anonymous(NotifierFactory factory) =>
        factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
}
