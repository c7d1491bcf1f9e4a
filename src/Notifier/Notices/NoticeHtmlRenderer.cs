// BL0006: Renderer's members (the root-component calls below, Dispatcher, Dispose) live in the RenderTree
// namespace, which the analyzer flags as "may change in future releases". They are public, protected API of the
// shared framework that StaticHtmlRenderer is made to be derived from (ASP.NET Core's own endpoint renderer does),
// and the one way to remove a root without disposing the renderer; NoticeRendererLeakTests fails if a release
// changes what they do. Kept to this file.
#pragma warning disable BL0006
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.HtmlRendering.Infrastructure;

namespace Notifier.Notices;

/// <summary>
/// ASP.NET Core's static HTML renderer (the one inside <c>HtmlRenderer</c>), but each rendered tree is let go once
/// it is written.
/// <para>
/// Why not <c>HtmlRenderer</c> itself: every <c>RenderComponentAsync</c> adds a root component, and the renderer keeps
/// each root and its whole tree (components, frames, the model) until the renderer is disposed, because a root can
/// render again. One long-lived renderer grew by about 200 kB a notice (5,000 notices, about 1 GB). Here each
/// render ends with <c>Renderer.RemoveRootComponent</c>, the framework's way to dispose a root and its
/// descendants. A new HtmlRenderer per notice would also let go, but measured slower (creating and disposing a
/// renderer and a scope for each notice).
/// </para>
/// </summary>
internal sealed class NoticeHtmlRenderer : IDisposable, IAsyncDisposable
{
    private readonly IServiceScope _scope;
    private readonly Core _core;

    /// <summary>What the templates' components are given (<see cref="NoticeScope"/>): set it around each render.</summary>
    public NoticeScope Notice { get; } = new();

    /// <param name="services">
    /// The application's services. The renderer resolves ComponentsActivitySource, a scoped service ("instance scoped
    /// per renderer"): from the root provider that throws where scopes are validated (Development, the tests'
    /// WebApplicationFactory), so the renderer gets a scope of its own that lives as long as it does.
    /// </param>
    /// <param name="loggerFactory">For the renderer's own log messages.</param>
    public NoticeHtmlRenderer(IServiceProvider services, ILoggerFactory loggerFactory)
    {
        _scope = services.CreateScope();
        _core = new Core(new ComponentServices(_scope.ServiceProvider, Notice), loggerFactory);
    }

    /// <summary>Runs <paramref name="work"/> on the renderer's dispatcher: one piece of work at a time, from any thread.</summary>
    public Task<T> InvokeAsync<T>(Func<Task<T>> work) => _core.Dispatcher.InvokeAsync(work);

    /// <summary>Renders <paramref name="root"/> to a string and removes it again. Only inside <see cref="InvokeAsync{T}"/>.</summary>
    public Task<string> RenderAsync(IComponent root, ParameterView parameters) => _core.RenderAsync(root, parameters);

    public void Dispose()
    {
        _core.Dispose();
        _scope.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _core.DisposeAsync();
        if (_scope is IAsyncDisposable scope) await scope.DisposeAsync();
        else _scope.Dispose();
    }

    /// <summary>
    /// The services the renderer and its components see: the renderer's scope, and this renderer's
    /// <see cref="NoticeScope"/> for the components' <c>[Inject]</c> (not registered in the application: it belongs
    /// to one renderer, not to a request or the process).
    /// </summary>
    private sealed class ComponentServices(IServiceProvider services, NoticeScope notice) : IServiceProvider
    {
        public object? GetService(Type serviceType) =>
            serviceType == typeof(NoticeScope) ? notice : services.GetService(serviceType);
    }

    private sealed class Core(IServiceProvider services, ILoggerFactory loggerFactory) : StaticHtmlRenderer(services, loggerFactory)
    {
        public async Task<string> RenderAsync(IComponent root, ParameterView parameters)
        {
            Dispatcher.AssertAccess();
            var id = AssignRootComponentId(root);
            string html;
            try
            {
                await RenderRootComponentAsync(id, parameters);
                using var writer = new StringWriter();
                WriteComponentHtml(id, writer);
                html = writer.ToString();
            }
            catch
            {
                TryRemove(id);
                throw;
            }
            RemoveRootComponent(id);
            return html;
        }

        /// <summary>After a failed render the render's exception is the one to report, not a second one from the removal.</summary>
        private void TryRemove(int id)
        {
            try
            {
                RemoveRootComponent(id);
            }
            catch (Exception)
            {
                // That root stays until the renderer is disposed: one tree, and only for a template that throws.
            }
        }
    }
}
