using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Notifier.Auth;

/// <summary>
/// Every Razor Pages request other than GET or HEAD (a form's POST: approve, retest, close, assign, …) needs the
/// <see cref="AuthExtensions.Operator"/> policy; a viewer gets 403 and nothing changes. One filter for all pages,
/// so a new page's handler is guarded without anyone remembering to add an attribute; pages that anyone may post to
/// (the sign-in form, signing out) are anonymous or carry <see cref="ViewersMayPostAttribute"/>.
/// </summary>
public sealed class ChangesNeedOperatorFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || MayPostWithoutRole(context))
        {
            await next();
            return;
        }
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        if ((await authorization.AuthorizeAsync(http.User, AuthExtensions.Operator)).Succeeded)
        {
            await next();
            return;
        }
        // ForbidResult goes through the cookie scheme's OnRedirectToAccessDenied, which answers 403.
        context.Result = new ForbidResult();
    }

    private static bool MayPostWithoutRole(PageHandlerExecutingContext context) =>
        context.ActionDescriptor.EndpointMetadata.Any(m => m is IAllowAnonymous or ViewersMayPostAttribute);
}
