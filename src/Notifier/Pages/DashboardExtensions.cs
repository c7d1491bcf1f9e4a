using Hangfire;
using Hangfire.Dashboard;
using Notifier.Auth;
using Notifier.Pages.Cases;

namespace Notifier.Pages;

public static class DashboardExtensions
{
    /// <summary>The operators' Razor Pages: every page needs a signed-in operator except the sign-in page itself.</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o => o.Conventions
            .AuthorizeFolder("/", AuthExtensions.Operator)
            .AllowAnonymousToPage("/Login"));
        return builder;
    }

    /// <summary>The operators' dashboard (Razor Pages, cookie sign-in) and Hangfire's job dashboard for them.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapRazorPages();
        app.MapNoticeHtmlFrames();
        // Hangfire's own pages post with its JavaScript: a signed-in operator's cookie authorises them.
        app.MapHangfireDashboardWithAuthorizationPolicy(AuthExtensions.Operator, "/hangfire", new DashboardOptions
        {
            DashboardTitle = "Notifier jobs",
            AppPath = "/",
            // Operators watch the jobs; deleting, re-queueing or triggering them is for admins (Hangfire refuses the command).
            IsReadOnlyFunc = context => !context.GetHttpContext().User.IsInRole(OperatorRole.Admin),
        });
        return app;
    }
}
