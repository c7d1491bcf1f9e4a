// BL0006: RenderTreeFrame and ArrayRange live in the RenderTree namespace, which the analyzer flags as "may change in
// future releases". They are the public frame model every renderer reads (ASP.NET Core's static HTML renderer reads
// the same frames the same way); the notice golden tests fail if a release changes what a frame means. Kept to this file.
#pragma warning disable BL0006
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.RenderTree;

namespace Notifier.Notices;

/// <summary>
/// Writes a notice template as HTML straight from the render tree its Razor components build: each component's
/// BuildRenderTree fills a builder, and the frames are written out as they are read, the same way ASP.NET Core's
/// static HTML renderer writes them (elements, attributes, encoded text, raw markup, child components).
/// <para>
/// Why not the static HTML renderer itself (measured before, issue 17 benchmark 4): a notice is about 250 components,
/// and the renderer keeps each one as component state with two render trees and a rented frame buffer until the
/// whole tree is removed, diffs each tree against an empty one, and copies every frame into a render batch; the
/// frame buffers alone overflowed the shared array pool, about 400 kB of garbage a notice. A notice is rendered once,
/// synchronously, never updated: here a component lives only while its frames are written, and one builder per
/// tree depth is reused for every component at that depth and every notice.
/// </para>
/// <para>
/// What the templates may use is what a notice needs: components deriving from <see cref="NoticeComponent"/> or
/// <see cref="NoticeMarkup"/> (given the <see cref="NoticeScope"/>, their parameters, then rendered, with no
/// asynchronous lifecycle), and plain elements. Anything a static renderer does for forms, scripts or interactivity
/// (select/option values, textarea, script encoding, named events) is refused rather than written differently.
/// </para>
/// <para>
/// The loops here are compiled optimised at once (AggressiveOptimization) rather than first at tier 0: a service
/// renders notices in bursts, and tiered compilation left the first thousand or so notices after a start at a
/// fraction of the speed of later ones.
/// </para>
/// Not thread-safe: one render at a time (<see cref="NoticeRenderer"/> gives each concurrent render its own).
/// </summary>
internal sealed class NoticeTreeWriter(TextEncoder htmlEncoder)
{
    private static readonly HashSet<string> VoidElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    /// <summary>Elements whose static rendering has rules of its own (form values, script encoding) that notices never need.</summary>
    private static readonly HashSet<string> Refused = new(StringComparer.OrdinalIgnoreCase) { "script", "select", "option", "textarea" };

    private static readonly ConcurrentDictionary<Type, ComponentType> Types = new();

    private readonly NoticeScope _scope = new();
    private readonly List<RenderTreeBuilder> _builders = [];
    private readonly StringBuilder _buffer = new();
    private int _depth;

    /// <summary>The template rendered for <paramref name="model"/> in <paramref name="format"/>, as the static renderer would write it.</summary>
    public string Write(Type template, NoticeModel model, NoticeFormat format)
    {
        _scope.Begin(model, format);
        try
        {
            using var output = new StringWriter(_buffer.Clear(), System.Globalization.CultureInfo.InvariantCulture);
            WriteComponent(Create(template), output);
            return _buffer.ToString();
        }
        finally
        {
            _scope.End();
            _depth = 0;
            _buffer.Clear();
            // The builders keep their buffers for the next notice, but nothing of this one: the frames hold the
            // model's strings and the templates' fragments, which hold the components and the model.
            foreach (var builder in _builders)
            {
                Array.Clear(builder.GetFrames().Array);
                builder.Clear();
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteComponent(IComponent component, TextWriter output)
    {
        if (_depth == _builders.Count) _builders.Add(new RenderTreeBuilder());
        var builder = _builders[_depth++];
        builder.Clear();
        switch (component)
        {
            case NoticeMarkup markup: markup.Render(builder); break;
            case NoticeComponent notice: notice.Render(builder); break;
            default: throw Unsupported($"component {component.GetType()}");
        }
        var frames = builder.GetFrames();
        WriteFrames(frames.Array, 0, frames.Count, output);
        _depth--;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteFrames(RenderTreeFrame[] frames, int position, int end, TextWriter output)
    {
        while (position < end)
        {
            ref var frame = ref frames[position];
            switch (frame.FrameType)
            {
                case RenderTreeFrameType.Element:
                    WriteElement(frames, position, output);
                    position += frame.ElementSubtreeLength;
                    break;
                case RenderTreeFrameType.Text:
                    htmlEncoder.Encode(output, frame.TextContent);
                    position++;
                    break;
                case RenderTreeFrameType.Markup:
                    output.Write(frame.MarkupContent);
                    position++;
                    break;
                case RenderTreeFrameType.Component:
                    WriteComponent(Create(frames, position), output);
                    position += frame.ComponentSubtreeLength;
                    break;
                case RenderTreeFrameType.Region:
                    WriteFrames(frames, position + 1, position + frame.RegionSubtreeLength, output);
                    position += frame.RegionSubtreeLength;
                    break;
                case RenderTreeFrameType.ElementReferenceCapture:
                case RenderTreeFrameType.ComponentReferenceCapture:
                    position++;
                    break;
                default:
                    throw Unsupported($"a {frame.FrameType} frame");
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WriteElement(RenderTreeFrame[] frames, int position, TextWriter output)
    {
        ref var element = ref frames[position];
        var name = element.ElementName;
        if (Refused.Contains(name)) throw Unsupported($"<{name}>");
        var end = position + element.ElementSubtreeLength;
        output.Write('<');
        output.Write(name);
        var child = position + 1;
        for (; child < end; child++)
        {
            ref var attribute = ref frames[child];
            if (attribute.FrameType == RenderTreeFrameType.ElementReferenceCapture) continue;
            if (attribute.FrameType != RenderTreeFrameType.Attribute) break;
            // As the static renderer: true writes the bare name, a string the encoded value, anything else (false,
            // null, event handlers) nothing.
            switch (attribute.AttributeValue)
            {
                case true:
                    output.Write(' ');
                    output.Write(attribute.AttributeName);
                    break;
                case string value:
                    output.Write(' ');
                    output.Write(attribute.AttributeName);
                    output.Write("=\"");
                    htmlEncoder.Encode(output, value);
                    output.Write('"');
                    break;
            }
        }
        if (child < end)
        {
            output.Write('>');
            WriteFrames(frames, child, end, output);
            output.Write("</");
            output.Write(name);
            output.Write('>');
        }
        else if (VoidElements.Contains(name))
        {
            output.Write(" />");
        }
        else
        {
            output.Write("></");
            output.Write(name);
            output.Write('>');
        }
    }

    /// <summary>The component of a component frame, given the scope and the parameters of the attribute frames after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private IComponent Create(RenderTreeFrame[] frames, int position)
    {
        ref var frame = ref frames[position];
        var type = Types.GetOrAdd(frame.ComponentType, static t => new ComponentType(t));
        var component = Create(type);
        var end = position + frame.ComponentSubtreeLength;
        for (var i = position + 1; i < end; i++)
        {
            ref var attribute = ref frames[i];
            if (attribute.FrameType != RenderTreeFrameType.Attribute) break;
            type.Set(component, attribute.AttributeName, attribute.AttributeValue);
        }
        return component;
    }

    private IComponent Create(Type template) => Create(Types.GetOrAdd(template, static t => new ComponentType(t)));

    private IComponent Create(ComponentType type)
    {
        var component = type.New();
        switch (component)
        {
            case NoticeMarkup markup: markup.Scope = _scope; break;
            case NoticeComponent notice: notice.Scope = _scope; break;
            default: throw Unsupported($"component {component.GetType()}");
        }
        return component;
    }

    private static NotSupportedException Unsupported(string what) =>
        new($"Notice templates are written without the Blazor renderer, which supports only what notices use; {what} is not among it (NoticeTreeWriter)");

    /// <summary>
    /// How to make a component type and set its parameters, found once per type and compiled (reflection's invoke
    /// for each of a notice's 250 components and their parameters was a measurable part of a render).
    /// </summary>
    private sealed class ComponentType
    {
        private readonly Func<IComponent> _new;
        private readonly Dictionary<string, Action<IComponent, object?>> _parameters;
        private readonly Type _type;

        public ComponentType(Type type)
        {
            _type = type;
            if (type.GetConstructor(Type.EmptyTypes) is null) throw new NotSupportedException($"{type} has no parameterless constructor");
            _new = Expression.Lambda<Func<IComponent>>(Expression.Convert(Expression.New(type), typeof(IComponent))).Compile();
            // Parameter names match without regard to case, as for the Blazor renderer.
            _parameters = type.GetProperties(BindingFlags.Instance | BindingFlags.Public)
                .Where(p => p.IsDefined(typeof(ParameterAttribute), inherit: true) && p.SetMethod is not null)
                .ToDictionary(p => p.Name, Setter, StringComparer.OrdinalIgnoreCase);
        }

        public IComponent New() => _new();

        public void Set(IComponent component, string name, object? value)
        {
            if (!_parameters.TryGetValue(name, out var set))
                throw new InvalidOperationException($"{_type} has no parameter {name}");
            set(component, value);
        }

        private Action<IComponent, object?> Setter(PropertyInfo property)
        {
            var component = Expression.Parameter(typeof(IComponent));
            var value = Expression.Parameter(typeof(object));
            var assign = Expression.Assign(
                Expression.Property(Expression.Convert(component, _type), property),
                Expression.Convert(value, property.PropertyType));
            return Expression.Lambda<Action<IComponent, object?>>(assign, component, value).Compile();
        }
    }
}
