using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Notifier.Templates;

namespace Notifier.Notices;

/// <summary>
/// Renders a notice from its Razor template in templates/ with ASP.NET Core's HtmlRenderer (first party, no
/// extra package; DESIGN.md "Notices"). One template is rendered three times: the subject, the HTML part and
/// the plain-text part (see <see cref="NoticeRendererText"/> for why the text part is made this way).
/// Thread-safe: HtmlRenderer runs every render on its own dispatcher.
/// </summary>
public sealed class NoticeRenderer(HtmlRenderer renderer)
{
    public static Type TemplateFor(NoticeKind kind) => kind switch
    {
        NoticeKind.FirstNotice => typeof(FirstNotice),
        NoticeKind.Reminder => typeof(Reminder),
        NoticeKind.StillOpen => typeof(StillOpen),
        NoticeKind.Resolved => typeof(Resolved),
        NoticeKind.Escalation => typeof(Escalation),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "No template for this notice kind"),
    };

    public async Task<RenderedNotice> RenderAsync(NoticeModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Relays.Count == 0) throw new ArgumentException("A notice reports at least one relay", nameof(model));
        var template = TemplateFor(model.Kind);
        cancellationToken.ThrowIfCancellationRequested();
        var subject = await RenderAsync(model, template, NoticeFormat.Subject);
        cancellationToken.ThrowIfCancellationRequested();
        var html = await RenderAsync(model, template, NoticeFormat.Html);
        cancellationToken.ThrowIfCancellationRequested();
        var text = await RenderAsync(model, template, NoticeFormat.Text);
        return new RenderedNotice(
            NoticeRendererText.Subject(model.CaseReference, subject),
            html,
            NoticeRendererText.Finish(text));
    }

    private Task<string> RenderAsync(NoticeModel model, Type template, NoticeFormat format) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(NoticeRoot.Model)] = model,
                [nameof(NoticeRoot.Format)] = format,
                [nameof(NoticeRoot.Template)] = template,
            });
            var root = await renderer.RenderComponentAsync<NoticeRoot>(parameters);
            return root.ToHtmlString();
        });
}
