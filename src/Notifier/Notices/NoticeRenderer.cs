using Microsoft.AspNetCore.Components;
using Notifier.Templates;

namespace Notifier.Notices;

/// <summary>
/// Renders a notice from its Razor template in templates/ with ASP.NET Core's static HTML renderer (first party,
/// no extra package; DESIGN.md "Notices"). One template is rendered three times: the subject, the HTML part and
/// the plain-text part (see <see cref="NoticeRendererText"/> for why the text part is made this way).
/// Thread-safe: every render runs on the renderer's dispatcher, one at a time, and each rendered tree is removed
/// before the next starts (<see cref="NoticeHtmlRenderer"/>), so nothing of one notice stays for the next or for
/// later: a service that runs for months renders in constant memory.
/// </summary>
public sealed class NoticeRenderer(IServiceProvider services, ILoggerFactory loggerFactory) : IDisposable, IAsyncDisposable
{
    private readonly NoticeHtmlRenderer _renderer = new(services, loggerFactory);

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
        // The three parts in one trip to the dispatcher, not one each: a trip is a queued work item and a wait.
        var (subject, html, text) = await _renderer.InvokeAsync(async () =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            var subject = await RenderAsync(model, template, NoticeFormat.Subject);
            cancellationToken.ThrowIfCancellationRequested();
            var html = await RenderAsync(model, template, NoticeFormat.Html);
            cancellationToken.ThrowIfCancellationRequested();
            var text = await RenderAsync(model, template, NoticeFormat.Text);
            return (subject, html, text);
        });
        return new RenderedNotice(
            NoticeRendererText.Subject(model.CaseReference, subject),
            html,
            NoticeRendererText.Finish(text));
    }

    private Task<string> RenderAsync(NoticeModel model, Type template, NoticeFormat format) =>
        _renderer.RenderAsync(new NoticeRoot { Scope = _renderer.Notice }, ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(NoticeRoot.Model)] = model,
            [nameof(NoticeRoot.Format)] = format,
            [nameof(NoticeRoot.Template)] = template,
        }));

    public void Dispose() => _renderer.Dispose();

    public ValueTask DisposeAsync() => _renderer.DisposeAsync();
}
