using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Notifier.Notices;

/// <summary>
/// The root the renderer starts from: puts the model and the format into the <see cref="NoticeScope"/> that the
/// template and every part it uses are given, then renders the template, so a template file says only what the
/// notice says (no parameter passing for an editor to get wrong). Disposing the root (the renderer removes it
/// once its HTML is written) clears the scope, so no model stays reachable from a long-lived renderer.
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
