using Hangfire;
using Hangfire.Dashboard;
using Notifier.Auth;
using Notifier.Pages.Cases;

namespace Notifier.Pages;

public static class DashboardExtensions
{
    /// <summary>
    /// The operators' Razor Pages: every page is readable by any signed-in user (viewer and up) except the sign-in
    /// page and the relay owner's pages (<c>/r/&lt;token&gt;</c>), which are anonymous; every change (a non-GET request) needs the operator role
    /// (<see cref="ChangesNeedOperatorFilter"/>); admin pages add <c>[Authorize(Policy = AuthExtensions.Admin)]</c>.
    /// </summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddRazorPages(o => o.Conventions
            .AuthorizeFolder("/", AuthExtensions.Viewer)
            .AllowAnonymousToPage("/Login")
            // The relay owner's pages: the token in the URL is the credential (Pages/Owner/OwnerPageModel).
            .AllowAnonymousToFolder("/Owner")
            .ConfigureFilter(new ChangesNeedOperatorFilter()))
            // Only the owner pages are localized (Pages/Owner/OwnerCulture); the dashboard is in English.
            .AddViewLocalization();
        return builder;
    }

    /// <summary>The operators' dashboard (Razor Pages, cookie sign-in) and Hangfire's job dashboard for them.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapNoticeHtmlFrames();
        // Hangfire's own pages post with its JavaScript: a signed-in operator's or admin's cookie authorises them;
        // a viewer gets 403 (the policy's forbid goes through the cookie scheme's OnRedirectToAccessDenied).
        app.MapHangfireDashboardWithAuthorizationPolicy(AuthExtensions.Operator, "/hangfire", new DashboardOptions
        {
            DashboardTitle = "Notifier jobs",
            AppPath = "/",
            // Operators watch the jobs; deleting, re-queueing or triggering them is for admins (Hangfire refuses the command).
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsAdmin(),
        });
        return app;
    }
}
