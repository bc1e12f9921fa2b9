using System.Xml;
using System.Xml.Linq;

namespace Tandem.Agents.Metadata;

/// <summary>
/// Parses OCF meta-data XML (resource-agents' ra-api-1.dtd, OCF 1.1) and fence agents' variant of it
/// (shortdesc as an attribute, getopt elements). Errors name the agent, line and element.
/// </summary>
public static class MetadataParser
{
    public static AgentMetadata Parse(string xml, string agent)
    {
        ArgumentNullException.ThrowIfNull(xml);
        XDocument document;
        try
        {
            // Agents declare <!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">, which is not on disk: ignore it.
            using var reader = XmlReader.Create(new StringReader(xml.TrimStart()), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null });
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new MetadataException($"meta-data of {agent} is not valid XML: line {e.LineNumber}: {FirstLine(e.Message)}", e);
        }
        var root = document.Root!;
        if (root.Name.LocalName != "resource-agent")
        {
            throw new MetadataException($"meta-data of {agent}: line {Line(root)}: root element is <{root.Name.LocalName}>, expected <resource-agent>");
        }
        var parameters = new List<ParameterMetadata>();
        foreach (var element in root.Element("parameters")?.Elements("parameter") ?? [])
        {
            var name = (string?)element.Attribute("name");
            if (string.IsNullOrEmpty(name))
            {
                throw new MetadataException($"meta-data of {agent}: line {Line(element)}: <parameter> without a name");
            }
            var content = element.Element("content");
            parameters.Add(new ParameterMetadata(
                name,
                Flag(element, "required"),
                Flag(element, "unique") || Flag(element, "unique-group"),
                Flag(element, "reloadable"),
                Flag(element, "deprecated") || element.Element("deprecated") is not null,
                (string?)content?.Attribute("type") ?? "string",
                (string?)content?.Attribute("default"),
                Description(element, "shortdesc"),
                Description(element, "longdesc"))
            {
                Choices = [.. content?.Elements("option").Select(o => (string?)o.Attribute("value")).OfType<string>() ?? []],
            });
        }
        var actions = new List<ActionMetadata>();
        foreach (var element in root.Element("actions")?.Elements("action") ?? [])
        {
            var name = (string?)element.Attribute("name");
            if (string.IsNullOrEmpty(name))
            {
                throw new MetadataException($"meta-data of {agent}: line {Line(element)}: <action> without a name");
            }
            actions.Add(new ActionMetadata(
                name,
                Duration(element, "timeout", agent),
                Duration(element, "interval", agent),
                int.TryParse((string?)element.Attribute("depth"), out var depth) ? depth : null,
                (string?)element.Attribute("role")));
        }
        return new AgentMetadata(
            (string?)root.Attribute("name") ?? agent,
            ((string?)root.Element("version"))?.Trim() ?? (string?)root.Attribute("version"),
            Description(root, "shortdesc"),
            Description(root, "longdesc"),
            parameters,
            actions);
    }

    private static bool Flag(XElement element, string name) =>
        (string?)element.Attribute(name) is "1" or "true" or "yes";

    private static long? Duration(XElement element, string attribute, string agent)
    {
        var text = (string?)element.Attribute(attribute);
        if (text is null)
        {
            return null;
        }
        return Model.Durations.Duration.TryParse(text, out var duration, out var error)
            ? duration.Milliseconds
            : throw new MetadataException($"meta-data of {agent}: line {Line(element)}: <action name=\"{(string?)element.Attribute("name")}\">: {attribute}: {error}");
    }

    /// <summary>The English (or only) description element, or the attribute fence agents use instead.</summary>
    private static string? Description(XElement element, string name)
    {
        var candidates = element.Elements(name).ToList();
        var chosen = candidates.FirstOrDefault(e => (string?)e.Attribute("lang") is null or "en") ?? candidates.FirstOrDefault();
        var text = chosen?.Value ?? (string?)element.Attribute(name);
        return text is null ? null : Normalise(text);
    }

    private static string Normalise(string text) =>
        string.Join('\n', text.Trim().Split('\n').Select(l => l.Trim())).Trim();

    private static int Line(XElement element) => ((IXmlLineInfo)element).LineNumber;

    private static string FirstLine(string message) => message.Split('\n')[0].TrimEnd('.');
}
