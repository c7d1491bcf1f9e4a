using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Notifier.Cases;
using Notifier.Data;
using Notifier.Notices;

namespace Notifier.Pages.Owner;

/// <summary>
/// The owner pages speak the contact's language: the language of the latest notice to that contact on the case
/// (what they were written in), else the one of the contact's country (<see cref="NoticeLanguage.ForCountry"/>).
/// <c>?culture=en</c> (ASP.NET Core's query string provider, tried first) lets a reader switch. Strings come from
/// ASP.NET Core localization: English in the views, German in <c>Resources/Pages/Owner/*.de.resx</c>.
/// </summary>
public static class OwnerCulture
{
    public static readonly string[] Supported = [NoticeLanguage.English, NoticeLanguage.German];

    /// <summary>Localization for the owner pages only: the dashboard keeps the server's culture as it always had.</summary>
    public static WebApplication UseOwnerCulture(this WebApplication app)
    {
        var options = new RequestLocalizationOptions()
            .SetDefaultCulture(NoticeLanguage.English)
            .AddSupportedCultures(Supported)
            .AddSupportedUICultures(Supported);
        options.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CustomRequestCultureProvider(FromLinkAsync)];
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/r"), branch => branch.UseRequestLocalization(options));
        return app;
    }

    /// <summary>The language for the token in <c>/r/&lt;token&gt;…</c>, or null (the default, English).</summary>
    private static async Task<ProviderCultureResult?> FromLinkAsync(HttpContext context)
    {
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments is not { Length: >= 2 } || !OwnerLinks.IsWellFormed(segments[1])) return null;
        var db = context.RequestServices.GetRequiredService<NotifierDb>();
        var hash = OwnerLinks.Hash(segments[1]);
        var link = await db.OwnerLinks.AsNoTracking().Where(l => l.TokenHash == hash)
            .Select(l => new { l.CaseId, l.CaseContactId }).SingleOrDefaultAsync(context.RequestAborted);
        if (link is null) return null;
        var language = await LanguageAsync(db, link.CaseId, link.CaseContactId, context.RequestAborted);
        return new ProviderCultureResult(language);
    }

    /// <summary>The contact's language on the case (see the class comment).</summary>
    public static async Task<string> LanguageAsync(NotifierDb db, int caseId, long caseContactId, CancellationToken ct)
    {
        var noticed = await db.Notices.AsNoTracking()
            .Where(n => n.CaseId == caseId && n.CaseContactId == caseContactId && n.State == NoticeState.Sent)
            .OrderByDescending(n => n.SentAt).Select(n => n.Language).FirstOrDefaultAsync(ct);
        if (noticed is not null) return NoticeLanguage.Normalize(noticed);
        var country = await db.CaseContacts.AsNoTracking().Where(x => x.Id == caseContactId).Select(x => x.Country).SingleOrDefaultAsync(ct);
        return NoticeLanguage.ForCountry(country);
    }

    /// <summary>
    /// The culture a page renders in, as a language code (<c>en</c>, <c>de</c>). From the name: with invariant
    /// globalization every culture's TwoLetterISOLanguageName is <c>iv</c>.
    /// </summary>
    public static string Current => NoticeLanguage.Normalize(CultureInfo.CurrentUICulture.Name);
}
