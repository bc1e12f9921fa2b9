using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Tandem.Model.Diagnostics;
using Tandem.Model.Durations;
using Tandem.Model.Resources;
using Tandem.Model.Scores;

namespace Tandem.Model.Cib;

/// <summary>
/// One XML element being read: hands out its attributes, turning bad values into diagnostics that
/// name the element, the attribute and the line, and at the end reports every attribute nobody read,
/// so that nothing in the input is dropped silently.
/// </summary>
internal sealed class CibElement
{
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<Diagnostic> _diagnostics;

    public CibElement(XElement element, string parentPath, List<Diagnostic> diagnostics)
    {
        Element = element;
        _diagnostics = diagnostics;
        var id = (string?)element.Attribute("id");
        var idRef = (string?)element.Attribute("id-ref");
        // Paths are relative to <configuration>: "resources/primitive[id=vip]/operations/op[id=vip-monitor]".
        Path = Name == "configuration" ? "" : (parentPath.Length == 0 ? "" : parentPath + "/") + Name
            + (id is not null ? $"[id={id}]" : idRef is not null ? $"[id-ref={idRef}]" : "");
    }

    public XElement Element { get; }

    public string Name => Element.Name.LocalName;

    public string Path { get; }

    public int? Line => ((IXmlLineInfo)Element).HasLineInfo() ? ((IXmlLineInfo)Element).LineNumber : null;

    /// <summary>The element as a reader would recognise it: &lt;primitive id="x"&gt;.</summary>
    public string Display
    {
        get
        {
            var id = (string?)Element.Attribute("id");
            var idRef = (string?)Element.Attribute("id-ref");
            return id is not null ? $"<{Name} id=\"{id}\">" : idRef is not null ? $"<{Name} id-ref=\"{idRef}\">" : $"<{Name}>";
        }
    }

    public IEnumerable<XElement> Children => Element.Elements();

    public CibElement Child(XElement child) => new(child, Path, _diagnostics);

    public void Report(DiagnosticSeverity severity, string message, int? line = null, string? code = null) =>
        _diagnostics.Add(new Diagnostic(severity, Path, message) { Line = line ?? Line, Code = code });

    public string? Attr(string name)
    {
        _read.Add(name);
        return (string?)Element.Attribute(name);
    }

    public bool Has(string name) => Element.Attribute(name) is not null;

    /// <summary>A required attribute: when missing, an error is reported and <paramref name="fallback"/> returned.</summary>
    public string Required(string name, string fallback = "")
    {
        var value = Attr(name);
        if (value is null)
        {
            Report(DiagnosticSeverity.Error, $"{Display} has no '{name}' attribute", code: "missing-attribute");
            return fallback;
        }
        return value;
    }

    public string Id() => Required("id");

    public Score? Score(string name = "score")
    {
        var text = Attr(name);
        if (text is null)
        {
            return null;
        }
        if (Scores.Score.TryParse(text, out var score, out var error))
        {
            return score;
        }
        // Pacemaker reads an unparsable score as 0.
        Invalid(name, $"{error}; read as 0");
        return Scores.Score.Zero;
    }

    public Duration? Duration(string name, Duration? fallback = null)
    {
        var text = Attr(name);
        if (text is null)
        {
            return null;
        }
        if (Durations.Duration.TryParse(text, out var duration, out var error))
        {
            return duration;
        }
        Invalid(name, fallback is { } f ? $"{error}; read as {f}" : $"{error}; ignored");
        return fallback;
    }

    public bool? Bool(string name)
    {
        var text = Attr(name);
        if (text is null)
        {
            return null;
        }
        if (Booleans.TryParse(text, out var value))
        {
            return value;
        }
        Invalid(name, $"invalid boolean '{text}' (expected true or false); ignored");
        return null;
    }

    public int? Int(string name)
    {
        var text = Attr(name);
        if (text is null)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        Invalid(name, $"invalid integer '{text}'; ignored");
        return null;
    }

    public Role? Role(string name)
    {
        var text = Attr(name);
        if (text is null)
        {
            return null;
        }
        if (RoleNames.TryParse(text, out var role))
        {
            return role;
        }
        Invalid(name, $"invalid role '{text}' (expected Stopped, Started, Unpromoted or Promoted); ignored");
        return null;
    }

    /// <summary>An enumerated attribute read with <paramref name="parse"/>; a bad value is reported and replaced by <paramref name="fallback"/>.</summary>
    public T? Enum<T>(string name, TryParser<T> parse, string expected, T? fallback = null) where T : struct
    {
        var text = Attr(name);
        if (text is null)
        {
            return null;
        }
        if (parse(text, out var value))
        {
            return value;
        }
        Invalid(name, $"invalid value '{text}' (expected {expected}); {(fallback is null ? "ignored" : $"read as {fallback}")}");
        return fallback;
    }

    public void Invalid(string attribute, string message)
    {
        var attr = Element.Attribute(attribute);
        var line = attr is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : Line;
        Report(DiagnosticSeverity.Error, $"attribute '{attribute}' of {Display}: {message}", line, "invalid-value");
    }

    public void UnknownChild(XElement child, string context)
    {
        var line = ((IXmlLineInfo)child).HasLineInfo() ? ((IXmlLineInfo)child).LineNumber : Line;
        var id = (string?)child.Attribute("id");
        var display = id is null ? $"<{child.Name.LocalName}>" : $"<{child.Name.LocalName} id=\"{id}\">";
        _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, Child(child).Path, $"unknown element {display} in {context}; ignored") { Line = line, Code = "unknown-element" });
    }

    public void Unsupported(XElement child, string what)
    {
        var line = ((IXmlLineInfo)child).HasLineInfo() ? ((IXmlLineInfo)child).LineNumber : Line;
        var id = (string?)child.Attribute("id");
        var display = id is null ? $"<{child.Name.LocalName}>" : $"<{child.Name.LocalName} id=\"{id}\">";
        _diagnostics.Add(new Diagnostic(DiagnosticSeverity.Unsupported, Child(child).Path, $"unsupported element {display} in {Name}: {what}") { Line = line, Code = "unsupported-element" });
    }

    /// <summary>Reports every attribute of the element that was not read.</summary>
    public void Finish()
    {
        foreach (var attribute in Element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration || _read.Contains(attribute.Name.LocalName))
            {
                continue;
            }
            var line = attribute is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber : Line;
            Report(DiagnosticSeverity.Warning, $"unknown attribute '{attribute.Name.LocalName}' on {Display}; ignored", line, "unknown-attribute");
        }
    }
}

/// <summary>A Try-parse function of the usual shape.</summary>
internal delegate bool TryParser<T>(string text, out T value);
