using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Notifier.Notices;

/// <summary>
/// For a page that renders a template part with the application's own renderer (the owner page:
/// <c>&lt;component type="typeof(NoticeRoot)" …&gt;</c>): puts the model and the format into the request's
/// <see cref="NoticeScope"/> that the part and every component it uses are given, then renders the part, so a
/// template file says only what the notice says (no parameter passing for an editor to get wrong). Disposing the
/// root clears the scope. Notices themselves are written by <see cref="NoticeRenderer"/> without a root.
/// </summary>
internal sealed class NoticeRoot : ComponentBase, IDisposable
{
    [Inject]
    public NoticeScope Scope { get; set; } = default!;

    [Parameter, EditorRequired]
    public NoticeModel Model { get; set; } = default!;

    [Parameter]
    public NoticeFormat Format { get; set; }

    [Parameter, EditorRequired]
    public Type Template { get; set; } = default!;

    protected override void OnParametersSet() => Scope.Begin(Model, Format);

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent(0, Template);
        builder.CloseComponent();
    }

    public void Dispose() => Scope.End();
}
