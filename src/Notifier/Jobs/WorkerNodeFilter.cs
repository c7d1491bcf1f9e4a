namespace Notifier.Jobs;

/// <summary>
/// A worker node (<c>Node:Role=worker</c>) answers the health endpoints (<c>/healthz</c> and below) and nothing else:
/// no dashboard page, API or static file, so a load balancer that sends it a user by mistake gets a 404 that says why.
/// A startup filter (the first middleware of the pipeline), so the role holds whatever endpoints the app maps.
/// </summary>
internal sealed class WorkerNodeFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments("/healthz"))
            {
                await nextMiddleware(context);
                return;
            }
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("This Notifier node is a worker (Node:Role=worker): it runs jobs and answers /healthz only. The dashboard and the API are on the web nodes.");
        });
        next(app);
    };
}
