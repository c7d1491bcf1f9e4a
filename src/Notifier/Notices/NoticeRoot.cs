using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Notifier.Notices;

/// <summary>
/// The root the renderer starts from: cascades the model and the format to the template and to every part it
/// uses, so a template file says only what the notice says (no parameter passing for an editor to get wrong).
/// </summary>
internal sealed class NoticeRoot : ComponentBase
{
    [Parameter, EditorRequired]
    public NoticeModel Model { get; set; } = default!;

    [Parameter]
    public NoticeFormat Format { get; set; }

    [Parameter, EditorRequired]
    public Type Template { get; set; } = default!;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenComponent<CascadingValue<NoticeModel>>(0);
        builder.AddComponentParameter(1, nameof(CascadingValue<NoticeModel>.Value), Model);
        builder.AddComponentParameter(2, nameof(CascadingValue<NoticeModel>.IsFixed), true);
        builder.AddComponentParameter(3, nameof(CascadingValue<NoticeModel>.ChildContent), (RenderFragment)(inner =>
        {
            inner.OpenComponent<CascadingValue<NoticeFormat>>(0);
            inner.AddComponentParameter(1, nameof(CascadingValue<NoticeFormat>.Value), Format);
            inner.AddComponentParameter(2, nameof(CascadingValue<NoticeFormat>.IsFixed), true);
            inner.AddComponentParameter(3, nameof(CascadingValue<NoticeFormat>.ChildContent), (RenderFragment)(template =>
            {
                template.OpenComponent(0, Template);
                template.CloseComponent();
            }));
            inner.CloseComponent();
        }));
        builder.CloseComponent();
    }
}
