using Notifier.Tests.Hosting;

namespace Notifier.Tests.Pages;

/// <summary>A form posted as a browser posts it: the page read first for its antiforgery token.</summary>
public static class PageForm
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string pageUrl, string action, IReadOnlyDictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(pageUrl);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = DashboardSession.Token(page) };
        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }
}
