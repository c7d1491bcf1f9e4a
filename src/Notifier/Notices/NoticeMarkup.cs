using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Notifier.Notices;

/// <summary>
/// What the markup parts in templates/Markup/ inherit (En, De, Para, Fact, …): a component that renders once from
/// its parameters, knows the format and the language, and nothing else.
/// <para>
/// Why not <see cref="NoticeComponent"/> (a <see cref="ComponentBase"/>): a notice is about 250 components, and all
/// but a dozen are these, most of them one sentence in one language. ComponentBase's lifecycle (initialisation and
/// parameter-set callbacks, their tasks, the first-render bookkeeping) is work none of them needs: a notice is
/// rendered once, statically, and never re-rendered or interactive. Here setting the parameters renders, and that is
/// all. The .razor files stay ordinary Razor; only their <c>@inherits</c> names this class.
/// </para>
/// </summary>
public abstract class NoticeMarkup : IComponent
{
    private RenderHandle _handle;
    private RenderFragment? _render;

    /// <summary>The notice being rendered (given by <see cref="NoticeTreeWriter"/>, or injected when a page renders a part; as for <see cref="NoticeComponent"/>).</summary>
    [Inject]
    public NoticeScope Scope { get; set; } = default!;

    protected bool IsHtml => Scope.Format == NoticeFormat.Html;

    protected bool IsText => Scope.Format == NoticeFormat.Text;

    protected bool IsGerman => Scope.IsGerman;

    void IComponent.Attach(RenderHandle renderHandle) => _handle = renderHandle;

    Task IComponent.SetParametersAsync(ParameterView parameters)
    {
        parameters.SetParameterProperties(this);
        _handle.Render(_render ??= BuildRenderTree);
        return Task.CompletedTask;
    }

    /// <summary>For <see cref="NoticeTreeWriter"/>: the frames of this component, its parameters set.</summary>
    internal void Render(RenderTreeBuilder builder) => BuildRenderTree(builder);

    /// <summary>Written by the Razor compiler from the .razor file.</summary>
    protected virtual void BuildRenderTree(RenderTreeBuilder builder)
    {
    }
}
