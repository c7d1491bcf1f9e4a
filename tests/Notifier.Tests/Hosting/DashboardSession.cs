using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Notifier.Auth;

namespace Notifier.Tests.Hosting;

/// <summary>A browser's way into the dashboard: the sign-in form with its antiforgery token, and a cookie.</summary>
public static partial class DashboardSession
{
    public static async Task<(string Name, string Password)> AddOperatorAsync(NotifierFactory factory, string role = OperatorRole.Operator)
    {
        var name = $"op-{Guid.NewGuid():N}"[..12];
        var password = OperatorAccounts.NewPassword();
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OperatorAccounts>().AddAsync(name, password, role, CancellationToken.None);
        return (name, password);
    }

    public static HttpClient Browser(NotifierFactory factory, Uri? baseAddress = null) =>
        factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = baseAddress ?? new Uri("http://localhost") });

    /// <summary>Posts the sign-in form as a browser does (GET for the token first); returns the POST's response.</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string name, string password)
    {
        var login = await client.GetStringAsync("/login");
        return await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = name,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Token(login),
        }));
    }

    public static async Task<HttpClient> SignedInAsync(NotifierFactory factory, string role = OperatorRole.Operator)
    {
        var (name, password) = await AddOperatorAsync(factory, role);
        var client = Browser(factory);
        var post = await PostSignInAsync(client, name, password);
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        return client;
    }

    /// <summary>The first antiforgery token in the page ("" when there is none).</summary>
    public static string Token(string html) => TokenRegex().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}
